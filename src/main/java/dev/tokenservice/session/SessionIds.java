package dev.tokenservice.session;

import java.util.UUID;

/** Session ids as paths carry them. */
public final class SessionIds {

    private SessionIds() {
    }

    /** @throws SessionNotFoundException for text that is not a UUID: it names no session, like an unknown one */
    public static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new SessionNotFoundException();
        }
    }
}
