package dev.tokenservice.session;

/** No live session with that id belongs to the user: unknown, ended, expired or someone else's, alike. */
public class SessionNotFoundException extends RuntimeException {

    public SessionNotFoundException() {
        super("no such session");
    }
}
