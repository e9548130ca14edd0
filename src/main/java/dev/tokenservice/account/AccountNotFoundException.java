package dev.tokenservice.account;

/** An operation named an account that does not exist. */
public class AccountNotFoundException extends RuntimeException {

    public AccountNotFoundException() {
        super("no such account");
    }
}
