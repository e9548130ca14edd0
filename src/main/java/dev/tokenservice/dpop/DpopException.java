package dev.tokenservice.dpop;

/**
 * A refused DPoP request, with the RFC 9449 error code: {@code invalid_dpop_proof}, {@code use_dpop_nonce} (then the
 * answer carries a fresh nonce), or {@code invalid_token} (a bound token without its proof, or an unbound one with).
 */
public class DpopException extends RuntimeException {

    public static final String INVALID_PROOF = "invalid_dpop_proof";
    public static final String USE_NONCE = "use_dpop_nonce";
    public static final String INVALID_TOKEN = "invalid_token";

    private final String error;
    private final String reason;

    public DpopException(String error, String reason, String message) {
        super(message, null, false, false);
        this.error = error;
        this.reason = reason;
    }

    static DpopException invalidProof(String reason, String message) {
        return new DpopException(INVALID_PROOF, reason, message);
    }

    public static DpopException invalidToken(String reason, String message) {
        return new DpopException(INVALID_TOKEN, reason, message);
    }

    /** The RFC 9449 error code. */
    public String error() {
        return error;
    }

    /** The metric label of the refusal. */
    public String reason() {
        return reason;
    }
}
