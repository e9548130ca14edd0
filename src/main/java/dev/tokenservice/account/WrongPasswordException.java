package dev.tokenservice.account;

/** The current password given to change it is wrong. The access token itself is fine. */
public class WrongPasswordException extends RuntimeException {

    public WrongPasswordException() {
        super("the current password is not correct", null, false, false);
    }
}
