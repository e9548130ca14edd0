package dev.tokenservice.client;

/**
 * Client authentication failed (RFC 6749 §5.2 {@code invalid_client}): no or malformed credentials, an unknown
 * client, a public client, or a wrong secret, all alike.
 */
public class InvalidClientException extends RuntimeException {

    public InvalidClientException() {
        super("client authentication failed", null, false, false);
    }
}
