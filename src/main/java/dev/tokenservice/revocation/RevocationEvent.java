package dev.tokenservice.revocation;

import java.util.UUID;

/** One revocation as it travels through the stream: what is revoked, and until when it matters. */
public record RevocationEvent(String kind, UUID subject, long until, long before) {

    public static final String TOKEN = "token";
    public static final String SESSION = "session";
    public static final String USER = "user";
    /** Not a revocation: the signing keys changed (rotation, retirement); every node re-reads them. */
    public static final String KEYS = "keys";

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
}
