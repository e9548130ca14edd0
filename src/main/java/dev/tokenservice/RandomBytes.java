package dev.tokenservice;

import java.security.SecureRandom;

/**
 * Random bytes for refresh tokens, nonces and CSRF values, from one {@link SecureRandom}. A native image
 * initialises this class at run time ({@code --initialize-at-run-time} in application.properties), so no
 * generator or seed is fixed in the image at build time.
 */
public final class RandomBytes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomBytes() {
    }

    public static byte[] next(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
