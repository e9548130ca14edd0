package dev.tokenservice.account;

/** Registration named a username whose canonical form already belongs to an account. */
public class UsernameTakenException extends RuntimeException {

    public UsernameTakenException() {
        super("username is already taken");
    }
}
