package dev.tokenservice.web;

/** A cookie-authenticated request that changes state without the matching CSRF token. */
public class CsrfException extends RuntimeException {

    public CsrfException() {
        super("a cookie-authenticated request that changes state needs the X-CSRF-Token header", null, false, false);
    }
}
