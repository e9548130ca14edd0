package dev.tokenservice.ops;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * PostgreSQL's part of readiness, answered at once from the last probe: a thread of its own runs
 * {@code select 1} every {@value #PERIOD_MILLIS} ms with a query timeout, and the node counts as connected while
 * the last success is younger than {@link #MAX_SILENCE}. A database that stalls without resetting the connection
 * therefore turns readiness DOWN within a few seconds; the health request itself never waits for it.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private static final long PERIOD_MILLIS = 500;
    private static final int QUERY_TIMEOUT_SECONDS = 1;
    private static final Duration MAX_SILENCE = Duration.ofSeconds(3);

    private final DataSource dataSource;
    private volatile long lastSuccessNanos;
    private volatile boolean everSucceeded;
    private volatile boolean running = true;

    public DatabaseReadiness(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent event) {
        Thread probe = new Thread(this::probeLoop, "database-probe");
        probe.setDaemon(true);
        probe.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    @Override
    public HealthCheckResponse call() {
        long silence = Duration.ofNanos(System.nanoTime() - lastSuccessNanos).toMillis();
        boolean up = everSucceeded && silence <= MAX_SILENCE.toMillis();
        return HealthCheckResponse.named("Database (PostgreSQL)").status(up).withData("millisSinceLastAnswer", silence).build();
    }

    private void probeLoop() {
        boolean failing = false;
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                statement.execute("select 1");
                lastSuccessNanos = System.nanoTime();
                everSucceeded = true;
                if (failing) {
                    Log.info("PostgreSQL answers again");
                    failing = false;
                }
            } catch (Exception e) {
                if (!failing) {
                    Log.warnf("PostgreSQL does not answer: %s", e.getMessage());
                    failing = true;
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
