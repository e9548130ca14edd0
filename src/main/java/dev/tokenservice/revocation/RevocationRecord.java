package dev.tokenservice.revocation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The record of truth behind the revocations in Redis: sessions revoked in PostgreSQL. When Redis has lost
 * its data (flushed, restarted without persistence, replaced), the mirror writes these back before it serves
 * tokens again, so a token of a revoked session never comes back to life.
 */
public interface RevocationRecord {

    /** Sessions revoked at or after {@code since}: those whose access tokens may still be alive. Blocks. */
    List<UUID> sessionsRevokedSince(Instant since);
}
