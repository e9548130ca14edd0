package dev.tokenservice.session;

import java.sql.SQLException;

/** A statement on the session store failed; when the store is unreachable the client gets 503. */
public class SessionStoreException extends RuntimeException {

    public SessionStoreException(SQLException cause) {
        super("session store failure: " + cause.getMessage(), cause);
    }
}
