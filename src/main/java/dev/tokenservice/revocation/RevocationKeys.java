package dev.tokenservice.revocation;

import java.util.UUID;

/**
 * The Redis names of the revocation data. Every one carries the hash tag {@value #TAG}, so on Redis Cluster they
 * all live in one hash slot, on one master: the revocation script writes keys and stream together, and the
 * commands that mean "the server" (its clock, its replication id, {@code WAIT}) reach that master by naming one
 * of these keys. Before the tag, the same data had the names of {@link Legacy}; {@link LegacyRevocations} copies
 * it over.
 */
public final class RevocationKeys {

    /** The hash tag shared by every revocation key. */
    public static final String TAG = "{revocations}";
    private static final String PREFIX = "auth:" + TAG + ":";
    /** The stream every node tails. */
    public static final String STREAM = PREFIX + "stream";
    /** A random id of the data set Redis holds, written by the first node that finds none. */
    public static final String GENERATION = PREFIX + "generation";
    /** The generation whose revocations have been restored from PostgreSQL. */
    public static final String RESTORED = PREFIX + "generation-restored";
    /** The last entry of the legacy stream copied into {@link #STREAM}. */
    static final String LEGACY_COPIED = PREFIX + "legacy-copied";
    static final String TOKEN_PREFIX = PREFIX + "revoked:jti:";
    static final String SESSION_PREFIX = PREFIX + "revoked:sid:";
    static final String USER_PREFIX = PREFIX + "revoked-before:";
    static final String KEYS_PREFIX = PREFIX + "key-change:";

    private RevocationKeys() {
    }

    /** The key that marks a revoked session. */
    public static String session(UUID sessionId) {
        return SESSION_PREFIX + sessionId;
    }

    /** The key that holds a user's "revoked before" instant. */
    public static String user(UUID userId) {
        return USER_PREFIX + userId;
    }

    static String of(RevocationEvent event) {
        return switch (event.kind()) {
            case RevocationEvent.TOKEN -> TOKEN_PREFIX + event.subject();
            case RevocationEvent.SESSION -> SESSION_PREFIX + event.subject();
            case RevocationEvent.USER -> USER_PREFIX + event.subject();
            default -> KEYS_PREFIX + event.subject();
        };
    }

    /** The names used before the hash tag; only read, to carry their revocations over after an upgrade. */
    public static final class Legacy {

        public static final String STREAM = "auth:revocations";
        public static final String GENERATION = "auth:generation";

        private Legacy() {
        }
    }
}
