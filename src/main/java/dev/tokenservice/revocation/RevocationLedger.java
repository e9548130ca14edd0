package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The revocations PostgreSQL holds besides revoked sessions: single access tokens and users' cut-offs. Every one
 * is written here before Redis is (in the caller's transaction when there is one), so the restore after Redis lost
 * data finds every revocation that was ever acknowledged. Rows are kept only while they can matter.
 */
@ApplicationScoped
public class RevocationLedger {

    private static final String RECORD_TOKEN = """
            insert into {h-schema}revoked_access_token (jti, revoked_until) values (:id, :until)
            on conflict (jti) do update
               set revoked_until = greatest(revoked_access_token.revoked_until, excluded.revoked_until)
            """;
    private static final String RECORD_CUTOFF = """
            insert into {h-schema}user_revocation_cutoff (user_id, issued_before, revoked_until)
            values (:id, :before, :until)
            on conflict (user_id) do update
               set issued_before = greatest(user_revocation_cutoff.issued_before, excluded.issued_before),
                   revoked_until = greatest(user_revocation_cutoff.revoked_until, excluded.revoked_until)
            """;
    private static final String LIVE_TOKENS = """
            select cast(jti as text), cast(extract(epoch from revoked_until) as bigint)
              from {h-schema}revoked_access_token where revoked_until > :now
            """;
    private static final String LIVE_CUTOFFS = """
            select cast(user_id as text), cast(extract(epoch from revoked_until) as bigint),
                   cast(extract(epoch from issued_before) as bigint)
              from {h-schema}user_revocation_cutoff where revoked_until > :now
            """;
    /** One bounded batch: a purge never holds many row locks or runs long, whatever has piled up. */
    private static final String PURGE = """
            delete from {h-schema}%1$s where ctid in
              (select ctid from {h-schema}%1$s where revoked_until < :now limit :batch)
            """;

    private final EntityManager entityManager;
    private final Clock clock;

    public RevocationLedger(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    /** Records the token revocations and cut-offs among {@code events}; sessions live in their own rows. */
    @Transactional
    public void record(List<RevocationEvent> events) {
        for (RevocationEvent event : events) {
            switch (event.kind()) {
                case RevocationEvent.TOKEN -> entityManager.createNativeQuery(RECORD_TOKEN)
                        .setParameter("id", event.subject())
                        .setParameter("until", Instant.ofEpochSecond(event.until()))
                        .executeUpdate();
                case RevocationEvent.USER -> entityManager.createNativeQuery(RECORD_CUTOFF)
                        .setParameter("id", event.subject())
                        .setParameter("before", Instant.ofEpochSecond(event.before()))
                        .setParameter("until", Instant.ofEpochSecond(event.until()))
                        .executeUpdate();
                default -> { }
            }
        }
    }

    /** Every token revocation and cut-off that still matters, as the events that rebuild them. Blocks. */
    @Transactional
    public List<RevocationEvent> live() {
        Instant now = clock.instant();
        List<RevocationEvent> events = new ArrayList<>();
        for (Object[] row : rows(LIVE_TOKENS, now)) {
            events.add(new RevocationEvent(RevocationEvent.TOKEN, UUID.fromString((String) row[0]),
                    ((Number) row[1]).longValue(), 0));
        }
        for (Object[] row : rows(LIVE_CUTOFFS, now)) {
            events.add(new RevocationEvent(RevocationEvent.USER, UUID.fromString((String) row[0]),
                    ((Number) row[1]).longValue(), ((Number) row[2]).longValue()));
        }
        return events;
    }

    /** Deletes up to {@code batch} rows of one table that no longer matter; returns how many went. */
    @Transactional
    public int purgeExpired(String table, int batch) {
        return entityManager.createNativeQuery(PURGE.formatted(table))
                .setParameter("now", clock.instant())
                .setParameter("batch", batch)
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Instant now) {
        return entityManager.createNativeQuery(sql, Object[].class).setParameter("now", now).getResultList();
    }
}
