package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import dev.tokenservice.token.TokenConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}).
 * The whole password is hashed, whatever its length. Hashing blocks: call it from a worker thread, and never
 * inside a database transaction.
 * <p>
 * Each computation holds 19 MiB and a core for a while, so at most {@code auth.password-hashing.max-concurrent}
 * run at once; up to {@code max-queued} more wait for a turn, and anything beyond is refused at once with
 * {@link HashingCapacityExceededException} (503), so a flood of logins or registrations cannot exhaust the node.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final int capacity;
    private final Semaphore slots;
    private final AtomicInteger queued = new AtomicInteger();
    private final int maxQueued;
    private final long maxWaitNanos;
    private final String decoy;

    @Inject
    public PasswordHasher(TokenConfig config, MeterRegistry registry) {
        this(config.passwordHashing().maxConcurrent(), config.passwordHashing().maxQueued(),
                config.passwordHashing().maxWait());
        Gauge.builder("password.hashing.active", this, PasswordHasher::active)
                .description("Argon2 computations running now").register(registry);
        Gauge.builder("password.hashing.queued", queued, AtomicInteger::get)
                .description("Requests waiting for a password-hashing slot").register(registry);
    }

    /** {@code maxConcurrent} 0 means one computation per processor. */
    public PasswordHasher(int maxConcurrent, int maxQueued, Duration maxWait) {
        this.capacity = maxConcurrent > 0 ? maxConcurrent : Runtime.getRuntime().availableProcessors();
        this.slots = new Semaphore(capacity, true);
        this.maxQueued = maxQueued;
        this.maxWaitNanos = maxWait.toNanos();
        this.decoy = hashNow(randomText());
    }

    public String hash(String password) {
        return gated(() -> hashNow(password));
    }

    public boolean verify(String password, String encoded) {
        return gated(() -> verifyNow(password, encoded));
    }

    /** Spends the time of one verification, so an unknown username costs what a wrong password costs. */
    public void verifyDecoy(String password) {
        verify(password, decoy);
    }

    /** Computations running now; never more than {@code auth.password-hashing.max-concurrent}. */
    public int active() {
        return capacity - slots.availablePermits();
    }

    private <T> T gated(Supplier<T> work) {
        if (!slots.tryAcquire()) {
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                throw new HashingCapacityExceededException();
            }
            try {
                if (!slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                    throw new HashingCapacityExceededException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HashingCapacityExceededException();
            } finally {
                queued.decrementAndGet();
            }
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private String hashNow(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] digest = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(digest);
    }

    private static boolean verifyNow(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1])) {
            return false;
        }
        int memory = 0;
        int iterations = 0;
        int parallelism = 0;
        for (String param : parts[3].split(",")) {
            int value = Integer.parseInt(param.substring(2));
            switch (param.charAt(0)) {
                case 'm' -> memory = value;
                case 't' -> iterations = value;
                case 'p' -> parallelism = value;
                default -> { }
            }
        }
        byte[] expected = B64_DECODER.decode(parts[5]);
        byte[] actual = derive(password, B64_DECODER.decode(parts[4]), memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private String randomText() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
