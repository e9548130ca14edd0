package dev.tokenservice.revocation;

/** The revocation store could not be reached, so no token can be accepted or revoked right now. */
public class RevocationUnavailableException extends RuntimeException {

    public RevocationUnavailableException(Throwable cause) {
        super("revocation store unavailable", cause);
    }
}
