package dev.tokenservice.token;

/** A client's own access token ({@code client_credentials}) was presented where a user's is needed. */
public class ClientTokenException extends RuntimeException {

    public ClientTokenException() {
        super("a client's own token does not act for a user", null, false, false);
    }
}
