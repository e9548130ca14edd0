package dev.tokenservice.revocation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Failures of the revocation machinery that no request answers for: each is counted in a metric and logged, at
 * most once per {@link #LOG_INTERVAL} per kind with the number left unlogged since, so an outage that lasts
 * minutes is visible without flooding the log.
 */
@ApplicationScoped
public class RevocationFailures {

    /** The shortest time between two log lines of one kind. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(15);
    /** The background stages of the mirror: the restore from PostgreSQL, the stream tail, re-reading the keys. */
    static final String RESTORE = "restore";
    static final String TAIL = "tail";
    static final String KEYS = "keys";
    static final String PURGE = "purge";

    private final MeterRegistry registry;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RevocationFailures(MeterRegistry registry) {
        this.registry = registry;
        List.of(RESTORE, TAIL, KEYS, PURGE).forEach(stage -> mirrorFailures(stage));
        replicaShortfalls();
    }

    /** A failure of one background stage ({@code revocation_mirror_failures_total{stage}}). */
    void mirror(String stage, String what) {
        mirrorFailures(stage).increment();
        log("mirror " + stage, what);
    }

    /**
     * A revocation written to Redis (after PostgreSQL) that fewer replicas than {@code auth.revocation.min-replicas}
     * confirmed in time ({@code revocation_replica_shortfalls_total}); it is acknowledged all the same.
     */
    void replicaShortfall(String what) {
        replicaShortfalls().increment();
        log("replicas", what);
    }

    private Counter mirrorFailures(String stage) {
        return registry.counter("revocation.mirror.failures", "stage", stage);
    }

    private Counter replicaShortfalls() {
        return registry.counter("revocation.replica.shortfalls");
    }

    private void log(String kind, String what) {
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        int unlogged;
        synchronized (window) {
            long now = System.nanoTime();
            if (window.logged && now - window.lastLogged < LOG_INTERVAL.toNanos()) {
                window.unlogged++;
                return;
            }
            unlogged = window.unlogged;
            window.unlogged = 0;
            window.logged = true;
            window.lastLogged = now;
        }
        if (unlogged == 0) {
            Log.warn(what);
        } else {
            Log.warnf("%s (and %d more since the last report)", what, unlogged);
        }
    }

    private static final class Window {
        private boolean logged;
        private long lastLogged;
        private int unlogged;
    }
}
