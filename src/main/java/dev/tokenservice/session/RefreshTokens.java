package dev.tokenservice.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.tokenservice.RandomBytes;
import dev.tokenservice.Sha256;

/**
 * The refresh-token formats. Both are opaque to clients and stored only as a digest; a successor is sealed under its
 * predecessor so that a retry within the grace can be given the same one.
 * <ul>
 * <li><b>Chained</b> (every session opened with a {@code refresh_key}): a body of the session id, the token's place
 * in the session's chain and 128 random bits, then a tag, a truncated HMAC-SHA256 of the body under the session's
 * key. The digest stored is the body's; the tag is what proves, once the token is spent and its row is gone, that it
 * really was one of its session's, so its reuse is detected without keeping a row per rotation, and a forged one
 * ends nobody's session. A copy of the database lets one forge spent tokens (and so end sessions), never a live one.
 * <li><b>Plain</b>: 256 random bits, of sessions opened before the chained format; their spent rows are kept for
 * reuse detection until the session ends.
 * </ul>
 */
final class RefreshTokens {

    private static final int PLAIN_BYTES = 32;
    private static final int RANDOM_BYTES = 16;
    private static final int BODY_BYTES = 16 + 4 + RANDOM_BYTES;
    private static final int TAG_BYTES = 16;
    /** Base64url of the body and of the tag: 36 bytes are 48 characters, 16 are 22 without padding. */
    private static final int BODY_CHARS = 48;
    private static final int CHAINED_CHARS = BODY_CHARS + 22;
    static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private RefreshTokens() {
    }

    /** A presented refresh token: the digest its row is stored under, and for a chained one its session and place. */
    record Presented(String token, String hash, UUID session, int rotation, String body, byte[] tag) {

        boolean chained() {
            return session != null;
        }

        /** What the successor is sealed under: the secret part, which a retry presents again. */
        String secret() {
            return chained() ? body : token;
        }

        /** Whether the tag proves this chained token was issued under the session's key. */
        boolean issuedUnder(byte[] sessionKey) {
            return chained() && sessionKey != null && MessageDigest.isEqual(tag, RefreshTokens.tag(sessionKey, body));
        }
    }

    static Presented parse(String token) {
        if (token.length() == CHAINED_CHARS) {
            try {
                ByteBuffer body = ByteBuffer.wrap(B64URL_DECODER.decode(token.substring(0, BODY_CHARS)));
                byte[] tag = B64URL_DECODER.decode(token.substring(BODY_CHARS));
                String text = token.substring(0, BODY_CHARS);
                return new Presented(token, hash(text), new UUID(body.getLong(), body.getLong()), body.getInt(), text,
                        tag);
            } catch (IllegalArgumentException e) {
                // not base64url: no token of either format, and unknown by its digest
            }
        }
        return new Presented(token, hash(token), null, 0, null, null);
    }

    static String plain() {
        return B64URL.encodeToString(RandomBytes.next(PLAIN_BYTES));
    }

    static byte[] newSessionKey() {
        return RandomBytes.next(KEY_BYTES);
    }

    /** The body of a session's chained token at the given place; its digest is what is stored. */
    static String body(UUID session, int rotation) {
        return B64URL.encodeToString(ByteBuffer.allocate(BODY_BYTES)
                .putLong(session.getMostSignificantBits()).putLong(session.getLeastSignificantBits())
                .putInt(rotation).put(RandomBytes.next(RANDOM_BYTES)).array());
    }

    /** The whole chained token: its body and the body's tag under the session's key. */
    static String chained(String body, byte[] sessionKey) {
        return body + B64URL.encodeToString(tag(sessionKey, body));
    }

    private static byte[] tag(byte[] sessionKey, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionKey, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
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
