package dev.tokenservice.revocation;

import java.util.List;
import java.util.UUID;

/** One revocation as it travels through the stream: what is revoked, and until when it matters. */
record RevocationEvent(String kind, UUID subject, long until, long before) {

    static final String TOKEN = "token";
    static final String SESSION = "session";
    static final String USER = "user";

    static RevocationEvent of(String kind, UUID subject, long until, long before) {
        return new RevocationEvent(kind, subject, until, before);
    }

    void applyTo(RevocationIndex index) {
        switch (kind) {
            case TOKEN -> index.revokeToken(subject, until);
            case SESSION -> index.revokeSession(subject, until);
            case USER -> index.revokeUser(subject, before, until);
            default -> { }
        }
    }

    /** The stream entry's field list. */
    List<String> fields() {
        return List.of("kind", kind, "id", subject.toString(), "until", Long.toString(until),
                "before", Long.toString(before));
    }
}
