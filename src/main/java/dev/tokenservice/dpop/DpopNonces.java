package dev.tokenservice.dpop;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.key.SigningKeys;

/**
 * Server nonces (RFC 9449 §8, §9), when {@code auth.dpop.nonce-required} is on. A nonce is the number of the period
 * it was made in and an HMAC of that number under a key derived from the active signing key's private key, which
 * every node of the deployment shares: any node makes one, every node accepts it, and nothing is stored or asked of
 * Redis. A nonce is good for its period and the next; one made under a key since rotated away is refused like a
 * stale one, and the answer carries a fresh nonce to retry with.
 */
@ApplicationScoped
public class DpopNonces {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;
    private static final int MAX_NONCE_LENGTH = 64;

    private final SigningKeys keys;
    private final Clock clock;
    private final boolean required;
    private final long periodMillis;

    public DpopNonces(SigningKeys keys, Clock clock, DpopConfig config) {
        this.keys = keys;
        this.clock = clock;
        this.required = config.nonceRequired();
        this.periodMillis = config.nonceLifetime().toMillis();
    }

    public boolean isRequired() {
        return required;
    }

    /** The nonce to hand out now. */
    public String current() {
        long period = period();
        return B64URL.encodeToString(ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(period).put(mac(period))
                .array());
    }

    /**
     * Refuses a proof without a current nonce when nonces are required.
     *
     * @throws DpopException use_dpop_nonce
     */
    void check(String nonce) {
        if (required && !isValid(nonce)) {
            throw new DpopException(DpopException.USE_NONCE, "proof_nonce",
                    "the DPoP proof must carry the nonce in DPoP-Nonce");
        }
    }

    boolean isValid(String nonce) {
        if (nonce == null || nonce.length() > MAX_NONCE_LENGTH) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = B64URL_DECODER.decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (decoded.length != Long.BYTES + MAC_BYTES) {
            return false;
        }
        long period = ByteBuffer.wrap(decoded).getLong();
        long now = period();
        return (period == now || period == now - 1)
                && MessageDigest.isEqual(mac(period), Arrays.copyOfRange(decoded, Long.BYTES, decoded.length));
    }

    private long period() {
        return Math.floorDiv(clock.millis(), periodMillis);
    }

    private byte[] mac(long period) {
        try {
            byte[] keyMaterial = MessageDigest.getInstance("SHA-256").digest(keys.active().privateKey().getEncoded());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyMaterial, "HmacSHA256"));
            mac.update("dpop-nonce".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(period).array()), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a DPoP nonce", e);
        }
    }
}
