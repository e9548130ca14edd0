package dev.tokenservice.event;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Deletes events older than {@code auth.events.retention}, every ten minutes on every node, in batches of
 * {@value #BATCH}, each its own short transaction; what one round leaves waits for the next.
 */
@ApplicationScoped
public class EventPurge {

    private static final String PURGE = """
            delete from {h-schema}security_event
             where seq in (select seq from {h-schema}security_event
                            where occurred_at < :cutoff order by occurred_at limit :batch)
            """;
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 50;
    private static final Duration INTERVAL = Duration.ofMinutes(10);

    private final EntityManager entityManager;
    private final Clock clock;
    private final Duration retention;
    private ScheduledExecutorService executor;

    public EventPurge(EntityManager entityManager, Clock clock, EventConfig config) {
        this.entityManager = entityManager;
        this.clock = clock;
        this.retention = config.retention();
    }

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "security-event-purge");
            thread.setDaemon(true);
            return thread;
        });
        long first = ThreadLocalRandom.current().nextLong(INTERVAL.toMillis());
        executor.scheduleWithFixedDelay(this::purge, first, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** One round; returns the events deleted. */
    int purge() {
        int deleted = 0;
        try {
            for (int i = 0; i < MAX_BATCHES; i++) {
                int batch = purgeBatch(BATCH);
                deleted += batch;
                if (batch < BATCH) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("purging old security events failed: %s", e.getMessage());
        }
        return deleted;
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
