package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

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
 * This node's copy of every live revocation, fed by tailing the {@value RevocationKeys#STREAM} stream with
 * {@code XREAD BLOCK}. On start it replays the stream from one access-token lifetime ago (by Redis' clock, the
 * clock of the stream ids); after an interruption it resumes from the last entry it applied.
 * <p>
 * The mirror is honest about being behind: after starting and after any interruption (an error, or a reply
 * that took longer than {@code auth.revocation.max-staleness}) it is not current until it has read the stream
 * up to the head it saw on reconnecting, and re-read the signing keys if a key change was among the entries.
 * While it is not current, or has not heard from Redis within the allowed staleness, requests carrying tokens
 * are refused with 503 and the node reports not ready, so a stale mirror never lets a revoked token through.
 */
@ApplicationScoped
public class RevocationMirror {

    private static final String STREAM = RevocationKeys.STREAM;
    private static final String GENERATION = RevocationKeys.GENERATION;
    /**
     * The server that holds the revocation slot, as one script naming the generation marker: its clock, the marker
     * and its replication state. On Redis Cluster a keyless TIME or INFO would go to any node.
     */
    private static final String SERVER = """
            local time = redis.call('TIME')
            return { tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000),
                     redis.call('GET', KEYS[1]) or '', redis.call('INFO', 'replication') }
            """;
    private static final int BATCH = 1000;
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);
    private static final Duration REDIS_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final RevocationIndex index = new RevocationIndex();
    private final RedisDataSource redis;
    private final LegacyRevocations legacy;
    private final Clock clock;
    private final Instance<KeyChangeListener> keyListeners;
    private final RevocationRestore restore;
    private final RevocationFailures failures;
    private final Instance<MirrorListener> listeners;
    private final Duration horizon;
    private final long maxStalenessNanos;
    private final DistributionSummary lag;
    private volatile long lastContactNanos;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private Thread tail;
    /** The last entry applied; null until the first replay has started. */
    private StreamId lastId;
    /** The head to reach before the mirror is current again; null while current. */
    private StreamId target;
    private boolean keysChanged;
    /** The generation of the data this node has read; null before the first catch-up. */
    private String generation;
    /** The replication id of the master this node reads from; a new one means a failover happened. */
    private String replicationId;
    private boolean restoreRequired;
    private long nextRedisCheck;

    public RevocationMirror(RedisDataSource redis, LegacyRevocations legacy, Clock clock, TokenConfig config,
            MeterRegistry registry, Instance<KeyChangeListener> keyListeners, RevocationRestore restore,
            RevocationFailures failures, Instance<MirrorListener> listeners) {
        this.redis = redis;
        this.legacy = legacy;
        this.clock = clock;
        this.keyListeners = keyListeners;
        this.restore = restore;
        this.failures = failures;
        this.listeners = listeners;
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

    /**
     * Whether this node, current, already holds a revocation that covers {@code event}: then it is in the stream
     * and in PostgreSQL already, and revoking it again would change nothing.
     */
    boolean holds(RevocationEvent event) {
        return isCurrent() && index.covers(event);
    }

    /** Every live revocation this node holds. */
    public List<RevocationEvent> live() {
        return index.entries();
    }

    /** Whether the mirror has read the stream up to its head and heard from Redis within the allowed staleness. */
    public boolean isCurrent() {
        return caughtUp && System.nanoTime() - lastContactNanos <= maxStalenessNanos;
    }

    long stalenessMillis() {
        return Duration.ofNanos(System.nanoTime() - lastContactNanos).toMillis();
    }

    private void tailLoop() {
        boolean interrupted = false;
        long nextSweep = System.nanoTime() + SWEEP_INTERVAL.toNanos();
        while (running) {
            try {
                if (!caughtUp && target == null) {
                    beginCatchUp();
                }
                long sent = System.nanoTime();
                Response reply = readAfterLastId();
                long answered = System.nanoTime();
                if (answered - sent > maxStalenessNanos && caughtUp) {
                    // the link stalled: what this reply holds may be only the first of many batches
                    Log.warn("revocation stream tail stalled; catching up before serving tokens again");
                    caughtUp = false;
                }
                lastContactNanos = answered;
                if (interrupted) {
                    Log.info("revocation stream tail resumed");
                    interrupted = false;
                }
                applyReply(reply);
                if (caughtUp && System.nanoTime() > nextRedisCheck && redisChanged()) {
                    Log.warn("Redis is not the data set or master this node has read; restoring and catching up");
                    caughtUp = false;
                    target = null;
                }
                if (keysChanged) {
                    keysChanged = !notifyKeyChange();
                }
                if (!caughtUp && target != null && lastId.compareTo(target) >= 0 && !keysChanged) {
                    target = null;
                    caughtUp = true;
                    Log.infof("revocation mirror is current: %d live revocations", index.size());
                } else if (!caughtUp && reply == null) {
                    target = null; // the head is gone (the stream was trimmed or deleted meanwhile): look again
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                caughtUp = false;
                target = null;
                interrupted = true;
                reportFailure(e);
                pause();
            }
            if (System.nanoTime() > nextSweep) {
                index.evictExpired(clock.instant().getEpochSecond());
                nextSweep = System.nanoTime() + SWEEP_INTERVAL.toNanos();
            }
        }
    }

    /** Counts and logs (rate-limited) what stopped the tail: a failed restore, or any other failure to read Redis. */
    private void reportFailure(RuntimeException e) {
        if (e instanceof RestoreFailedException) {
            failures.mirror(RevocationFailures.RESTORE, "restoring revocations from PostgreSQL into Redis failed, "
                    + "not serving tokens until it succeeds: " + e.getCause());
        } else {
            failures.mirror(RevocationFailures.TAIL, "revocation stream tail interrupted, catching up once Redis "
                    + "answers: " + e);
        }
    }

    /**
     * Notes the stream's head as the target to reach. The first time, the replay starts one token lifetime ago by
     * Redis' clock; later it resumes after the last applied entry, unless the stream now ends before that entry
     * (Redis was flushed or replaced), in which case everything it holds is read again.
     */
    private void beginCatchUp() {
        legacy.copy();
        Server server = checkGeneration();
        StreamId head = head();
        if (lastId == null) {
            rereadFrom(new StreamId(Math.max(0, server.millis() - horizon.toMillis()), 0));
        } else if (head.compareTo(lastId) < 0) {
            Log.warnf("revocation stream ends at %s, before the last entry read (%s): reading it again from the start",
                    head, lastId);
            rereadFrom(StreamId.ZERO);
        }
        target = head;
    }

    /**
     * Makes sure Redis holds the data set this node has read. A missing or different generation means Redis lost
     * its data (flushed, restarted without persistence, replaced): the stream is read again from its start, and
     * unless a node has done so for this generation already, every revocation PostgreSQL holds (tokens, sessions,
     * users' cut-offs) is written back first; so it is after this node saw the master change. Until then the
     * mirror is not current, so no token is served.
     */
    private Server checkGeneration() {
        Server server = server();
        if (masterChanged(server)) {
            Log.warn("the Redis master changed since this node last read it: restoring revocations from PostgreSQL");
        }
        String current = server.generation();
        if (current == null) {
            redis.execute("SET", GENERATION, UUID.randomUUID().toString(), "NX");
            current = stringOrNull(redis.execute("GET", GENERATION));
        }
        if (generation != null && !generation.equals(current)) {
            Log.warnf("Redis holds another data set (generation %s, was %s): reading it from the start", current,
                    generation);
            rereadFrom(StreamId.ZERO);
        }
        if (restoreRequired || !current.equals(stringOrNull(redis.execute("GET", RevocationKeys.RESTORED)))) {
            int restored = restoreFromRecord();
            redis.execute("SET", RevocationKeys.RESTORED, current);
            restoreRequired = false;
            Log.infof("restored %d revocations from PostgreSQL into Redis generation %s", restored, current);
        }
        generation = current;
        return server;
    }

    /**
     * Whether Redis is another than the one this node has read, checked while current at most once a second: its
     * data set (the generation marker is gone or different), or its master (see {@link #masterChanged}). Also
     * carries over what nodes of the previous version still write under the legacy names.
     */
    private boolean redisChanged() {
        nextRedisCheck = System.nanoTime() + REDIS_CHECK_INTERVAL.toNanos();
        legacy.copy();
        Server server = server();
        return masterChanged(server) || !generation.equals(server.generation());
    }

    /**
     * Whether the master is another one than last time (its replication id changed, or the server this node
     * reads from is no longer a master). A failover can drop writes the old master acknowledged to too few
     * replicas, so the next catch-up restores the revocations PostgreSQL knows.
     */
    private boolean masterChanged(Server server) {
        String info = server.replication();
        String id = field(info, "master_replid");
        boolean changed = !"master".equals(field(info, "role")) || replicationId != null && !replicationId.equals(id);
        replicationId = id;
        restoreRequired |= changed;
        return changed;
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private int restoreFromRecord() {
        try {
            return restore.restore();
        } catch (RuntimeException e) {
            throw new RestoreFailedException(e);
        }
    }

    /** The restore from PostgreSQL failed; the tail starts over and tries again. */
    private static final class RestoreFailedException extends RuntimeException {
        RestoreFailedException(RuntimeException cause) {
            super(cause);
        }
    }

    private static String stringOrNull(Response response) {
        return response == null ? null : response.toString();
    }

    private void rereadFrom(StreamId from) {
        lastId = from;
        listeners.forEach(listener -> listener.rereading(from));
    }

    /** The next entries after the last one applied: waiting for new ones while current, at once while catching up. */
    private Response readAfterLastId() {
        return caughtUp
                ? redis.execute("XREAD", "COUNT", Integer.toString(BATCH), "BLOCK", Long.toString(BLOCK.toMillis()),
                        "STREAMS", STREAM, lastId.toString())
                : redis.execute("XREAD", "COUNT", Integer.toString(BATCH), "STREAMS", STREAM, lastId.toString());
    }

    /** The id of the stream's newest entry, or 0-0 when it is empty or missing. */
    private StreamId head() {
        Response newest = redis.execute("XREVRANGE", STREAM, "+", "-", "COUNT", "1");
        if (newest == null || newest.size() == 0) {
            return StreamId.ZERO;
        }
        return StreamId.parse(newest.get(0).get(0).toString());
    }

    private Server server() {
        Response reply = redis.execute("EVAL", SERVER, "1", GENERATION);
        String marker = reply.get(1).toString();
        return new Server(reply.get(0).toLong(), marker.isEmpty() ? null : marker, reply.get(2).toString());
    }

    /** The revocation slot's server: its clock in milliseconds, its generation marker (or null), INFO replication. */
    private record Server(long millis, String generation, String replication) {
    }

    private void applyReply(Response reply) {
        if (reply == null) {
            return;
        }
        // RESP3 answers a map of stream to entries, RESP2 a list of [stream, entries] pairs
        Response entries = reply.isMap() ? reply.get(STREAM) : reply.get(0).get(1);
        for (Response entry : entries) {
            String id = entry.get(0).toString();
            lastId = StreamId.parse(id);
            applySafely(id, entry.get(1));
        }
    }

    /** Returns whether every listener has taken the key change in. */
    private boolean notifyKeyChange() {
        try {
            keyListeners.forEach(KeyChangeListener::keysChanged);
            return true;
        } catch (RuntimeException e) {
            failures.mirror(RevocationFailures.KEYS,
                    "signing keys changed but could not be re-read; not serving tokens until they are: " + e);
            caughtUp = false;
            if (target == null) {
                target = lastId;
            }
            pause();
            return false;
        }
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
        RevocationEvent event = RevocationEvent.fromEntry(fields);
        if (event == null) {
            return;
        }
        event.applyTo(index);
        keysChanged |= RevocationEvent.KEYS.equals(event.kind());
        listeners.forEach(listener -> listener.applied(StreamId.parse(id), event));
        if (!caughtUp || RevocationEvent.KEYS.equals(event.kind())) {
            return; // replayed history is not propagation
        }
        long enteredMillis = Long.parseLong(id.substring(0, id.indexOf('-')));
        lag.record(Math.max(0, clock.millis() - enteredMillis));
    }

    /** A stream entry id: milliseconds and sequence, ordered as Redis orders them. */
    public record StreamId(long millis, long sequence) implements Comparable<StreamId> {

        static final StreamId ZERO = new StreamId(0, 0);

        /** Parses {@code <millis>-<sequence>}; throws a {@link RuntimeException} on anything else. */
        public static StreamId parse(String id) {
            int dash = id.indexOf('-');
            return new StreamId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
        }

        @Override
        public int compareTo(StreamId other) {
            int byMillis = Long.compare(millis, other.millis);
            return byMillis != 0 ? byMillis : Long.compare(sequence, other.sequence);
        }

        @Override
        public String toString() {
            return millis + "-" + sequence;
        }
    }

    private void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
