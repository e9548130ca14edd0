package dev.tokenservice.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.tokenservice.RandomBytes;
import dev.tokenservice.Sha256;

/** The opaque refresh-token format: 256 random bits, stored as a digest, successors sealed under their predecessor. */
final class RefreshTokens {

    private static final int TOKEN_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private RefreshTokens() {
    }

    static String generate() {
        return B64URL.encodeToString(RandomBytes.next(TOKEN_BYTES));
    }

    static String hash(String token) {
        return B64URL.encodeToString(Sha256.of("refresh-token:" + token));
    }

    static byte[] seal(String key, String successor) {
        try {
            byte[] iv = RandomBytes.next(IV_BYTES);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv);
            byte[] sealed = cipher.doFinal(successor.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    static String unseal(String key, byte[] sealed) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, IV_BYTES));
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed successor does not open under its predecessor", e);
        }
    }

    private static Cipher cipher(int mode, String key, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(Sha256.of("successor-seal:" + key), "AES"), new GCMParameterSpec(TAG_BITS, iv));
        return cipher;
    }
}
