package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The Redis write behind {@link RedisRevocationStore}: one script for a batch of revocations, pipelined with
 * {@code WAIT} when replicas must confirm it. What Redis took goes straight into this node's mirror too.
 */
@ApplicationScoped
class RevocationWriter {

    /**
     * Writes several revocations at once, all or none: everything that can fail is read and compared before the
     * first write. KEYS: the stream, then one key per revocation.
     * ARGV: the stream horizon in milliseconds, then per revocation its value ('' for none), TTL seconds and the
     * entry's kind, id, until and before. Trimming uses Redis' clock, the clock of the stream ids. A user's
     * cut-off only ever moves forward, whatever order nodes write in. A revocation whose key already holds an equal
     * or later value is already in the stream: it is neither written nor appended again, so revoking twice
     * announces nothing new. Returns how many entries were appended.
     */
    private static final String REVOKE = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local minid = string.format('%.0f-0', math.max(0, now - tonumber(ARGV[1])))
            local raise = {}
            for i = 2, #KEYS do
              local a = (i - 2) * 6 + 2
              if ARGV[a] ~= '' then
                local current = redis.call('GET', KEYS[i])
                raise[i] = (not current) or tonumber(current) < tonumber(ARGV[a])
              end
            end
            local appended = 0
            for i = 2, #KEYS do
              local a = (i - 2) * 6 + 2
              if raise[i] then
                redis.call('SET', KEYS[i], ARGV[a], 'EX', ARGV[a + 1])
              end
              if raise[i] or ARGV[a] == '' then
                redis.call('XADD', KEYS[1], 'MINID', '~', minid, '*', 'kind', ARGV[a + 2], 'id', ARGV[a + 3],
                    'until', ARGV[a + 4], 'before', ARGV[a + 5])
                appended = appended + 1
              end
            end
            return appended
            """;

    private final RedisDataSource redis;
    private final Redis client;
    private final Duration timeout;
    private final RevocationMirror mirror;
    private final Clock clock;
    private final Duration horizon;
    private final Duration replicaTimeout;
    private final RevocationFailures failures;

    RevocationWriter(RedisDataSource redis, Redis client,
            @ConfigProperty(name = "quarkus.redis.timeout") Duration timeout, RevocationMirror mirror, Clock clock,
            TokenConfig config, RevocationFailures failures) {
        this.redis = redis;
        this.client = client;
        this.timeout = timeout;
        this.mirror = mirror;
        this.clock = clock;
        this.horizon = config.accessToken().lifetime().plus(config.clockSkew());
        this.replicaTimeout = config.revocation().replicaTimeout();
        this.failures = failures;
    }

    /**
     * Writes {@code events} to Redis, then into this node's mirror. With {@code replicas} above zero it waits up to
     * {@code auth.revocation.replica-timeout} for that many replicas to confirm; with zero it does not wait. Throws
     * {@link RevocationUnavailableException} when the write failed.
     */
    void write(List<RevocationEvent> events, int replicas) {
        List<String> command = revokeCommand(events);
        if (replicas == 0) {
            try {
                redis.execute("EVAL", command.toArray(String[]::new));
            } catch (RuntimeException e) {
                throw new RevocationUnavailableException(e);
            }
            events.forEach(event -> event.applyTo(mirror.index()));
            return;
        }
        writeAndWait(command, events, replicas);
    }

    /** EVAL of the revocation script with its keys and arguments. */
    private List<String> revokeCommand(List<RevocationEvent> events) {
        long nowSecond = clock.instant().getEpochSecond();
        List<String> keys = new ArrayList<>(List.of(RevocationKeys.STREAM));
        List<String> args = new ArrayList<>(List.of(Long.toString(horizon.toMillis())));
        for (RevocationEvent event : events) {
            keys.add(RevocationKeys.of(event));
            args.add(event.storedValue());
            args.add(Long.toString(Math.max(1, event.until() - nowSecond)));
            args.add(event.kind());
            args.add(event.subject().toString());
            args.add(Long.toString(event.until()));
            args.add(Long.toString(event.before()));
        }
        List<String> command = new ArrayList<>(List.of(REVOKE, Integer.toString(keys.size())));
        command.addAll(keys);
        command.addAll(args);
        return command;
    }

    /**
     * The write and {@code WAIT} pipelined on one connection (WAIT counts the replicas that have this connection's
     * writes). A batch goes to one server, the one the script's keys name: on Redis Cluster a lone {@code WAIT}
     * would go to any master. Fewer replicas than asked for in time (none left after a failover, a replica
     * resyncing) is counted and logged, not refused: PostgreSQL already holds the revocation, and if a failover
     * loses this write the mirror restores it from there. A failed write is a 503; the client may send it again.
     */
    private void writeAndWait(List<String> command, List<RevocationEvent> events, int replicas) {
        Request eval = Request.cmd(Command.EVAL);
        command.forEach(eval::arg);
        Request wait = Request.cmd(Command.WAIT).arg(replicas).arg(replicaTimeout.toMillis());
        long acknowledged;
        try {
            List<Response> replies = client.batch(List.of(eval, wait)).await().atMost(replicaTimeout.plus(timeout));
            events.forEach(event -> event.applyTo(mirror.index()));
            acknowledged = replies.get(1).toLong();
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
        if (acknowledged < replicas) {
            failures.replicaShortfall(acknowledged + " of " + replicas
                    + " Redis replicas confirmed a revocation within "
                    + replicaTimeout.toMillis() + " ms; PostgreSQL holds it");
        }
    }
}
