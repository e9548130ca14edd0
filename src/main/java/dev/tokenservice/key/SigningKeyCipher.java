package dev.tokenservice.key;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tokenservice.token.TokenConfig;

/**
 * Encrypts private keys at rest under the operator's key-encryption key ({@code auth.signing-key.encryption-key}):
 * AES-256-GCM with a key derived by HKDF-SHA256, a random 12-byte nonce, and the {@code kid} as associated data,
 * so a sealed key cannot be moved to another row. Sealed values start with {@link #VERSION}; plaintext PKCS#8
 * starts with a DER SEQUENCE tag (0x30), so the two are told apart.
 */
@ApplicationScoped
public class SigningKeyCipher {

    static final byte[] VERSION = "kek1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HKDF_SALT = "token-service signing-key encryption".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HKDF_INFO = "signing_key.private_key v1".getBytes(StandardCharsets.UTF_8);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Optional<SecretKey> key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SigningKeyCipher(TokenConfig config) {
        this(config.signingKey().encryptionKey());
    }

    SigningKeyCipher(Optional<String> secret) {
        this.key = secret.filter(value -> !value.isBlank()).map(SigningKeyCipher::derive);
    }

    boolean isConfigured() {
        return key.isPresent();
    }

    static boolean isSealed(byte[] stored) {
        return stored.length > VERSION.length && Arrays.equals(stored, 0, VERSION.length, VERSION, 0, VERSION.length);
    }

    /** The value to store for a PKCS#8 private key: sealed if a key-encryption key is configured. */
    byte[] seal(String kid, byte[] pkcs8) {
        if (key.isEmpty()) {
            return pkcs8;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, kid, nonce).doFinal(pkcs8);
            return ByteBuffer.allocate(VERSION.length + NONCE_BYTES + sealed.length)
                    .put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The PKCS#8 private key of a stored value, sealed or not; fails if the key-encryption key cannot open it. */
    byte[] open(String kid, byte[] stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        if (key.isEmpty()) {
            throw new KeyEncryptionException("signing key " + kid + " is encrypted but auth.signing-key.encryption-key"
                    + " (AUTH_SIGNING_KEY_ENCRYPTION_KEY) is not set");
        }
        byte[] nonce = Arrays.copyOfRange(stored, VERSION.length, VERSION.length + NONCE_BYTES);
        try {
            return cipher(Cipher.DECRYPT_MODE, kid, nonce).doFinal(stored, VERSION.length + NONCE_BYTES,
                    stored.length - VERSION.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new KeyEncryptionException("signing key " + kid + " cannot be decrypted:"
                    + " auth.signing-key.encryption-key (AUTH_SIGNING_KEY_ENCRYPTION_KEY) is not the key it was"
                    + " encrypted with");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private Cipher cipher(int mode, String kid, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.orElseThrow(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** HKDF-SHA256 (RFC 5869) with a fixed salt: extract, then one block of expand is the AES-256 key. */
    private static SecretKey derive(String secret) {
        try {
            byte[] prk = hmac(HKDF_SALT, secret.getBytes(StandardCharsets.UTF_8));
            byte[] okm = hmac(prk, ByteBuffer.allocate(HKDF_INFO.length + 1).put(HKDF_INFO).put((byte) 1).array());
            return new SecretKeySpec(okm, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

}
