package dev.tokenservice.account;

/** A username that cannot be canonicalised into an acceptable account name. */
public class InvalidUsernameException extends RuntimeException {

    public InvalidUsernameException(String reason) {
        super(reason);
    }
}
