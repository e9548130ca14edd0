package dev.tokenservice.session;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.tokenservice.ops.BatchPurge;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Deletes sessions that ended (revoked, or past their lifetime) longer than an access-token lifetime and the clock
 * skew ago, with their refresh tokens (the foreign key cascades): no token of theirs can be accepted any more, a
 * refresh token of theirs is refused as unknown as it was refused as revoked or expired, and the revocation mirror's
 * restore reads only sessions revoked within that horizon. Without it, every login and every rotation would leave a
 * row that the tables and the indexes of the refresh statement keep for ever. Every node, every ten minutes.
 */
@ApplicationScoped
public class SessionPurge {

    private static final String PURGE = """
            delete from {h-schema}auth_session
             where id in (select id from {h-schema}auth_session where revoked_at < :cutoff
                          union all
                          select id from {h-schema}auth_session where expires_at < :cutoff
                          limit :batch)
            """;

    private final BatchPurge rounds;
    private final EntityManager entityManager;
    private final Clock clock;
    private final Duration horizon;

    public SessionPurge(EntityManager entityManager, Clock clock, TokenConfig config) {
        this.entityManager = entityManager;
        this.clock = clock;
        this.horizon = config.accessToken().lifetime().plus(config.clockSkew()).plusMinutes(1);
        this.rounds = new BatchPurge("ended-session-purge", Duration.ofMinutes(10), 500, 100, this::purgeBatch);
    }

    void onStart(@Observes StartupEvent event) {
        rounds.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** One round now; returns the rows deleted. */
    public int purge() {
        return rounds.purge();
    }

    @Transactional
    int purgeBatch(int batch) {
        return entityManager.createNativeQuery(PURGE)
                .setParameter("cutoff", clock.instant().minus(horizon))
                .setParameter("batch", batch)
                .executeUpdate();
    }
}
