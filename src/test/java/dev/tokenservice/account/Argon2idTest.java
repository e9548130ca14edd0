package dev.tokenservice.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** Our Argon2id against Bouncy Castle's, an implementation we did not write, on parameters of every shape. */
class Argon2idTest {

    private final Random random = new Random(20261206);

    @Test
    void everyOutputEqualsBouncyCastles() {
        int[] memories = { 8, 16, 24, 33, 64, 100, 257, 1024 };
        int[] lengths = { 4, 16, 32, 64, 65, 100, 130 };
        for (int run = 0; run < 120; run++) {
            int lanes = 1 + random.nextInt(4);
            int memory = Math.max(memories[random.nextInt(memories.length)], 8 * lanes);
            int iterations = 1 + random.nextInt(3);
            int length = lengths[random.nextInt(lengths.length)];
            byte[] password = bytes(random.nextInt(40));
            byte[] salt = bytes(8 + random.nextInt(24));
            String parameters = "m=" + memory + " t=" + iterations + " p=" + lanes + " length=" + length;

            byte[] ours = Argon2id.hash(password, salt, memory, iterations, lanes, length,
                    new long[Argon2id.memoryWords(memory, lanes)]);

            assertArrayEquals(bouncyCastle(password, salt, memory, iterations, lanes, length), ours, parameters);
        }
    }

    @Test
    void theServicesParametersEqualBouncyCastlesInReusedMemory() {
        long[] memory = new long[Argon2id.memoryWords(19_456, 1)];
        for (int run = 0; run < 3; run++) {
            byte[] password = ("correct horse battery " + run).getBytes(StandardCharsets.UTF_8);
            byte[] salt = bytes(16);
            Arrays.fill(memory, random.nextLong());

            byte[] ours = Argon2id.hash(password, salt, 19_456, 2, 1, 32, memory);

            assertArrayEquals(bouncyCastle(password, salt, 19_456, 2, 1, 32), ours);
        }
    }

    @Test
    void tooLittleWorkingMemoryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Argon2id.hash(bytes(8), bytes(16), 64, 1, 1, 32,
                new long[Argon2id.memoryWords(64, 1) - 1]));
    }

    @Test
    void hashesVerifyAcrossImplementationsAndTheWorkingMemoryIsKeptThenDropped() {
        PasswordHasher hasher = new PasswordHasher(2, 2, Duration.ofSeconds(5));
        byte[] salt = bytes(16);
        byte[] tag = bouncyCastle("s3cret pass".getBytes(StandardCharsets.UTF_8), salt, 19_456, 2, 1, 32);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String stored = "$argon2id$v=19$m=19456,t=2,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(tag);

        assertTrue(hasher.verify("s3cret pass", stored));
        assertFalse(hasher.verify("s3cret pasS", stored));
        assertTrue(hasher.verify("another one", hasher.hash("another one")));
        assertEquals(1, hasher.keptWorkingMemory());

        hasher.dropWorkingMemoryIfIdle();
        assertEquals(1, hasher.keptWorkingMemory(), "kept while passwords are being hashed");
        hasher.dropWorkingMemoryIfIdle(System.nanoTime() + PasswordHasher.IDLE.toNanos() + 1_000_000_000L);
        assertEquals(0, hasher.keptWorkingMemory(), "dropped once idle");
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] bouncyCastle(byte[] password, byte[] salt, int memory, int iterations, int lanes, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memory).withIterations(iterations)
                .withParallelism(lanes).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
