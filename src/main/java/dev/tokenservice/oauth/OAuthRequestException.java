package dev.tokenservice.oauth;

/**
 * A request to an OAuth endpoint that RFC 6749 §5.2 refuses with 400: {@code invalid_request},
 * {@code unsupported_grant_type}, {@code unauthorized_client} or {@code invalid_scope}.
 */
public class OAuthRequestException extends RuntimeException {

    private final String error;

    public OAuthRequestException(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public static OAuthRequestException invalidRequest(String description) {
        return new OAuthRequestException("invalid_request", description);
    }

    /** The RFC 6749 error code. */
    public String error() {
        return error;
    }
}
