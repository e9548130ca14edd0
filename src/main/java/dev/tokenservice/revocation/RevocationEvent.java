package dev.tokenservice.revocation;

import java.util.UUID;

import io.vertx.mutiny.redis.client.Response;

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

    /**
     * The revocation a stream entry's fields describe, or null when they name no kind or subject; fails on a
     * subject or time that does not parse.
     */
    static RevocationEvent fromEntry(Response fields) {
        String kind = null;
        UUID subject = null;
        long until = 0;
        long before = 0;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = fields.get(i + 1).toString();
            switch (fields.get(i).toString()) {
                case "kind" -> kind = value;
                case "id" -> subject = UUID.fromString(value);
                case "until" -> until = Long.parseLong(value);
                case "before" -> before = Long.parseLong(value);
                default -> { }
            }
        }
        return kind == null || subject == null ? null : of(kind, subject, until, before);
    }

    /** The value of its key: a user's cut-off, 1 for a token or session, none ('') for a key change. */
    String storedValue() {
        return switch (kind) {
            case USER -> Long.toString(before);
            case KEYS -> "";
            default -> "1";
        };
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
