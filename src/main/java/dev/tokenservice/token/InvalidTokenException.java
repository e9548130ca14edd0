package dev.tokenservice.token;

/** A presented access or refresh token that is not acceptable; {@link #reason()} feeds the rejection metrics. */
public class InvalidTokenException extends RuntimeException {

    private final String reason;

    public InvalidTokenException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
