package dev.tokenservice.revocation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Deletes the {@link RevocationLedger}'s rows that no longer matter, every minute on every node, in batches of
 * {@value #BATCH}: the tables stay the size of the live revocations, and a purge never holds a long transaction.
 */
@ApplicationScoped
public class LedgerPurge {

    static final List<String> TABLES = List.of("revoked_access_token", "user_revocation_cutoff");
    private static final int BATCH = 1000;
    /** Batches per table and round; what is left waits for the next round. */
    private static final int MAX_BATCHES = 50;
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private final RevocationLedger ledger;
    private final RevocationFailures failures;
    private ScheduledExecutorService executor;

    public LedgerPurge(RevocationLedger ledger, RevocationFailures failures) {
        this.ledger = ledger;
        this.failures = failures;
    }

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "revocation-ledger-purge");
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

    /** One round over every table; returns the rows deleted. */
    int purge() {
        int deleted = 0;
        try {
            for (String table : TABLES) {
                for (int i = 0; i < MAX_BATCHES; i++) {
                    int batch = ledger.purgeExpired(table, BATCH);
                    deleted += batch;
                    if (batch < BATCH) {
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            failures.mirror(RevocationFailures.PURGE, "purging expired revocations from PostgreSQL failed: " + e);
        }
        return deleted;
    }
}
