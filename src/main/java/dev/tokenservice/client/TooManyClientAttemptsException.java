package dev.tokenservice.client;

/** Too many failed authentications of this client id or from this address; checked no secret. */
public class TooManyClientAttemptsException extends RuntimeException {

    private final long retryAfterSeconds;

    public TooManyClientAttemptsException(long retryAfterSeconds) {
        super("too many failed client authentications; try again later", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
