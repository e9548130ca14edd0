package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tokenservice.token.TokenConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}).
 * The whole password is hashed, whatever its length. Hashing blocks: call it from a worker thread, and never
 * inside a database transaction.
 * <p>
 * Each computation holds 19 MiB and a core for a while, so at most {@code auth.password-hashing.max-concurrent}
 * run at once; up to {@code max-queued} more wait for a turn, and anything beyond is refused at once with
 * {@link HashingCapacityExceededException} (503), so a flood of logins or registrations cannot exhaust the node.
 * <p>
 * The 19 MiB are one array per running computation, kept for the next one while passwords are being hashed and
 * dropped after {@link #IDLE} without any: allocated afresh for every login, they outgrew the small heap's young
 * generation, were promoted, and made the collector stop the node for full collections several times a second
 * while users logged in.
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
    private static final int MEMORY_WORDS = Argon2id.memoryWords(MEMORY_KIB, PARALLELISM);
    static final Duration IDLE = Duration.ofMinutes(1);

    private final SecureRandom random = new SecureRandom();
    private final int capacity;
    private final Semaphore slots;
    private final AtomicInteger queued = new AtomicInteger();
    private final int maxQueued;
    private final long maxWaitNanos;
    private final String decoy;
    /** Working memory of the standard parameters not in use now; at most one per slot. */
    private final ArrayDeque<long[]> workingMemory = new ArrayDeque<>();
    private volatile long lastUsedNanos;

    @Inject
    public PasswordHasher(TokenConfig config, MeterRegistry registry, Vertx vertx) {
        this(config.passwordHashing().maxConcurrent(), config.passwordHashing().maxQueued(),
                config.passwordHashing().maxWait());
        vertx.setPeriodic(IDLE.toMillis() / 2, id -> dropWorkingMemoryIfIdle());
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
        workingMemory.clear();
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

    /** Drops the kept working memory when no password was hashed for {@link #IDLE}. */
    void dropWorkingMemoryIfIdle() {
        dropWorkingMemoryIfIdle(System.nanoTime());
    }

    void dropWorkingMemoryIfIdle(long nowNanos) {
        if (nowNanos - lastUsedNanos > IDLE.toNanos()) {
            synchronized (workingMemory) {
                workingMemory.clear();
            }
        }
    }

    /** Working-memory arrays kept for the next computations. */
    int keptWorkingMemory() {
        synchronized (workingMemory) {
            return workingMemory.size();
        }
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

    private boolean verifyNow(String password, String encoded) {
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

    private byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        int words = Argon2id.memoryWords(memory, parallelism);
        long[] working = null;
        if (words == MEMORY_WORDS) {
            synchronized (workingMemory) {
                working = workingMemory.poll();
            }
        }
        if (working == null) {
            working = new long[words];
        }
        try {
            return Argon2id.hash(password.getBytes(StandardCharsets.UTF_8), salt, memory, iterations, parallelism,
                    length, working);
        } finally {
            lastUsedNanos = System.nanoTime();
            if (words == MEMORY_WORDS) {
                synchronized (workingMemory) {
                    workingMemory.push(working);
                }
            }
        }
    }

    private String randomText() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
