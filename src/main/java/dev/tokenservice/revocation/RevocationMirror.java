package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tokenservice.token.TokenConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;

/**
 * This node's copy of every live revocation, fed by tailing the {@value #STREAM} stream with
 * {@code XREAD BLOCK}. On start and after every interruption it replays the stream from one access-token
 * lifetime ago, so nothing that still matters is missed. If the tail has not heard from Redis for
 * {@code auth.revocation.max-staleness}, the mirror counts as stale: requests carrying tokens are refused
 * with 503 and the node reports not ready, so a stale mirror never lets a revoked token through.
 */
@ApplicationScoped
public class RevocationMirror {

    static final String STREAM = "auth:revocations";
    private static final int BATCH = 1000;
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

    private final RevocationIndex index = new RevocationIndex();
    private final RedisDataSource redis;
    private final Clock clock;
    private final Duration horizon;
    private final long maxStalenessNanos;
    private final DistributionSummary lag;
    private volatile long lastContactNanos;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private Thread tail;

    public RevocationMirror(RedisDataSource redis, Clock clock, TokenConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.clock = clock;
        this.horizon = config.accessToken().lifetime().plus(config.clockSkew());
        this.maxStalenessNanos = config.revocation().maxStaleness().toNanos();
        this.lag = DistributionSummary.builder("revocation.propagation").baseUnit("milliseconds")
                .description("Time from a revocation entering the stream to this node applying it")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("revocation.mirror.size", index, RevocationIndex::size)
                .description("Live revocations held in memory").register(registry);
        Gauge.builder("revocation.mirror.staleness", this, m -> m.stalenessMillis())
                .baseUnit("milliseconds").description("Time since the stream tail last heard from Redis")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        lastContactNanos = System.nanoTime() - maxStalenessNanos - 1;
        tail = new Thread(this::tailLoop, "revocation-tail");
        tail.setDaemon(true);
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (tail != null) {
            tail.interrupt();
        }
    }

    /** The in-memory index; writes from this node go straight into it too. */
    RevocationIndex index() {
        return index;
    }

    /** Whether the mirror has replayed the stream and heard from Redis within the allowed staleness. */
    public boolean isCurrent() {
        return caughtUp && System.nanoTime() - lastContactNanos <= maxStalenessNanos;
    }

    long stalenessMillis() {
        return Duration.ofNanos(System.nanoTime() - lastContactNanos).toMillis();
    }

    private void tailLoop() {
        String lastId = replayStart();
        boolean interrupted = false;
        long nextSweep = System.nanoTime() + SWEEP_INTERVAL.toNanos();
        while (running) {
            try {
                Response reply = redis.execute("XREAD", "COUNT", Integer.toString(BATCH), "BLOCK",
                        Long.toString(BLOCK.toMillis()), "STREAMS", STREAM, lastId);
                lastContactNanos = System.nanoTime();
                if (interrupted) {
                    Log.info("revocation stream tail resumed");
                    interrupted = false;
                }
                int applied = 0;
                if (reply != null) {
                    // RESP3 answers a map of stream to entries, RESP2 a list of [stream, entries] pairs
                    Response entries = reply.isMap() ? reply.get(STREAM) : reply.get(0).get(1);
                    for (Response entry : entries) {
                        lastId = entry.get(0).toString();
                        applySafely(lastId, entry.get(1));
                        applied++;
                    }
                }
                if (applied < BATCH && !caughtUp) {
                    caughtUp = true;
                    Log.infof("revocation mirror is current: %d live revocations", index.size());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!interrupted) {
                    Log.warnf("revocation stream tail interrupted, replaying once Redis answers: %s", e.toString());
                    interrupted = true;
                }
                lastId = replayStart();
                pause();
            }
            if (System.nanoTime() > nextSweep) {
                index.evictExpired(clock.instant().getEpochSecond());
                nextSweep = System.nanoTime() + SWEEP_INTERVAL.toNanos();
            }
        }
    }

    /** Stream ids are millisecond timestamps: replay everything younger than the longest token lifetime. */
    private String replayStart() {
        return Math.max(0, clock.millis() - horizon.toMillis()) + "-0";
    }

    /** An entry this version cannot read is skipped, never allowed to stall the tail. */
    private void applySafely(String id, Response fields) {
        try {
            apply(id, fields);
        } catch (RuntimeException e) {
            Log.warnf("skipped unreadable revocation entry %s: %s", id, e.toString());
        }
    }

    private void apply(String id, Response fields) {
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
        if (kind == null || subject == null) {
            return;
        }
        RevocationEvent.of(kind, subject, until, before).applyTo(index);
        if (!caughtUp) {
            return; // replayed history is not propagation
        }
        long enteredMillis = Long.parseLong(id.substring(0, id.indexOf('-')));
        lag.record(Math.max(0, clock.millis() - enteredMillis));
    }

    private void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
