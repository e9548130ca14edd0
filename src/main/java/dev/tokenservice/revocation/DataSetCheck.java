package dev.tokenservice.revocation;

import java.time.Duration;
import java.util.UUID;

import dev.tokenservice.revocation.RevocationMirror.StreamId;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Whether Redis still holds the data set this node has read, from the same master. A missing or different
 * generation marker ({@value RevocationKeys#GENERATION}) means Redis lost its data; a new replication id means a
 * failover, which can drop writes. Either way the revocations PostgreSQL holds are written back
 * ({@link RevocationRestore}) before the mirror counts as current again.
 */
final class DataSetCheck {

    /**
     * The server that holds the revocation slot, as one script naming the generation marker: its clock, the marker
     * and its replication state. On Redis Cluster a keyless TIME or INFO would go to any node.
     */
    private static final String SERVER = """
            local time = redis.call('TIME')
            return { tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000),
                     redis.call('GET', KEYS[1]) or '', redis.call('INFO', 'replication') }
            """;
    private static final Duration REDIS_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final RedisDataSource redis;
    private final LegacyRevocations legacy;
    private final RevocationRestore restore;
    private final StreamPosition position;
    /** The generation of the data this node has read; null before the first catch-up. */
    private String generation;
    /** The replication id of the master this node reads from; a new one means a failover happened. */
    private String replicationId;
    private boolean restoreRequired;
    private long nextRedisCheck;

    DataSetCheck(RedisDataSource redis, LegacyRevocations legacy, RevocationRestore restore, StreamPosition position) {
        this.redis = redis;
        this.legacy = legacy;
        this.restore = restore;
        this.position = position;
    }

    /**
     * Makes sure Redis holds the data set this node has read. A missing or different generation means Redis lost
     * its data (flushed, restarted without persistence, replaced): the stream is read again from its start, and
     * unless a node has done so for this generation already, every revocation PostgreSQL holds (tokens, sessions,
     * users' cut-offs) is written back first; so it is after this node saw the master change. Until then the
     * mirror is not current, so no token is served.
     */
    Server check() {
        Server server = server();
        if (masterChanged(server)) {
            Log.warn("the Redis master changed since this node last read it: restoring revocations from PostgreSQL");
        }
        String current = server.generation();
        if (current == null) {
            redis.execute("SET", RevocationKeys.GENERATION, UUID.randomUUID().toString(), "NX");
            current = stringOrNull(redis.execute("GET", RevocationKeys.GENERATION));
        }
        if (generation != null && !generation.equals(current)) {
            Log.warnf("Redis holds another data set (generation %s, was %s): reading it from the start", current,
                    generation);
            position.rereadFrom(StreamId.ZERO);
        }
        restoreIfRequired(current);
        generation = current;
        return server;
    }

    /**
     * Whether Redis is another than the one this node has read, checked while current at most once a second: its
     * data set (the generation marker is gone or different), or its master (see {@link #masterChanged}). Also
     * carries over what nodes of the previous version still write under the legacy names.
     */
    boolean redisChanged() {
        if (System.nanoTime() <= nextRedisCheck) {
            return false;
        }
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

    /** Restores unless a node has done so for this generation already, and always after a change of master. */
    private void restoreIfRequired(String current) {
        if (restoreRequired || !current.equals(stringOrNull(redis.execute("GET", RevocationKeys.RESTORED)))) {
            int restored = restoreFromRecord();
            redis.execute("SET", RevocationKeys.RESTORED, current);
            restoreRequired = false;
            Log.infof("restored %d revocations from PostgreSQL into Redis generation %s", restored, current);
        }
    }

    private int restoreFromRecord() {
        try {
            return restore.restore();
        } catch (RuntimeException e) {
            throw new RestoreFailedException(e);
        }
    }

    /** The restore from PostgreSQL failed; the tail starts over and tries again. */
    static final class RestoreFailedException extends RuntimeException {
        RestoreFailedException(RuntimeException cause) {
            super(cause);
        }
    }

    private static String stringOrNull(Response response) {
        return response == null ? null : response.toString();
    }

    private Server server() {
        Response reply = redis.execute("EVAL", SERVER, "1", RevocationKeys.GENERATION);
        String marker = reply.get(1).toString();
        return new Server(reply.get(0).toLong(), marker.isEmpty() ? null : marker, reply.get(2).toString());
    }

    /** The revocation slot's server: its clock in milliseconds, its generation marker (or null), INFO replication. */
    record Server(long millis, String generation, String replication) {
    }
}
