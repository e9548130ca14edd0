package dev.tokenservice.account;

/** A username and password (or a current password) that do not match; never says which part was wrong. */
public class InvalidCredentialsException extends RuntimeException {

    public InvalidCredentialsException() {
        super("invalid username or password");
    }
}
