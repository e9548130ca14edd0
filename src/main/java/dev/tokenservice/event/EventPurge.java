package dev.tokenservice.event;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.tokenservice.ops.BatchPurge;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Deletes events older than {@code auth.events.retention}, every ten minutes on every node, in batches of
 * 1,000, each its own short transaction; what one round leaves waits for the next.
 */
@ApplicationScoped
public class EventPurge {

    private static final String PURGE = """
            delete from {h-schema}security_event
             where seq in (select seq from {h-schema}security_event
                            where occurred_at < :cutoff order by occurred_at limit :batch)
            """;

    private final BatchPurge rounds;
    private final EntityManager entityManager;
    private final Clock clock;
    private final Duration retention;

    public EventPurge(EntityManager entityManager, Clock clock, EventConfig config) {
        this.entityManager = entityManager;
        this.clock = clock;
        this.retention = config.retention();
        this.rounds = new BatchPurge("security-event-purge", Duration.ofMinutes(10), 1000, 50, this::purgeBatch);
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

    /** Deletes up to {@code batch} events past the retention; returns how many went. */
    @Transactional
    int purgeBatch(int batch) {
        return entityManager.createNativeQuery(PURGE)
                .setParameter("cutoff", clock.instant().minus(retention))
                .setParameter("batch", batch)
                .executeUpdate();
    }
}
