package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import dev.tokenservice.token.TokenConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * This node's copy of every live revocation, fed by tailing the {@value RevocationKeys#STREAM} stream with
 * {@code XREAD BLOCK}; checks read only this copy, never Redis. Other packages use this class, not its parts,
 * which work on the tail's own thread:
 * <ul>
 * <li>{@link RevocationTail}: the thread, its reads, and what happens when one fails;</li>
 * <li>{@link CatchUp}: where a replay starts (one access-token lifetime ago on start; after an interruption, the
 * last entry applied) and when the mirror is current again;</li>
 * <li>{@link EntryApplier}: each entry into the {@link RevocationIndex} and to the {@link MirrorListener}s, key
 * changes through the {@link KeyChangeRelay};</li>
 * <li>{@link DataSetCheck}: whether Redis still holds the data set this node has read, from the same master, and
 * if not, the restore from PostgreSQL ({@link RevocationRestore}).</li>
 * </ul>
 * The mirror is honest about being behind ({@link MirrorFreshness}): while it catches up or has not heard from
 * Redis within the allowed staleness, requests carrying tokens are refused with 503 and the node reports not ready,
 * so a stale mirror never lets a revoked token through.
 */
@ApplicationScoped
public class RevocationMirror {

    private final RevocationIndex index = new RevocationIndex();
    private final MirrorFreshness freshness;
    private final RevocationTail tail;

    public RevocationMirror(RedisDataSource redis, LegacyRevocations legacy, Clock clock, TokenConfig config,
            MeterRegistry registry, Instance<KeyChangeListener> keyListeners, RevocationRestore restore,
            RevocationFailures failures, Instance<MirrorListener> listeners) {
        Duration horizon = config.accessToken().lifetime().plus(config.clockSkew());
        this.freshness = new MirrorFreshness(config.revocation().maxStaleness());
        StreamPosition position = new StreamPosition(listeners);
        KeyChangeRelay keyChanges = new KeyChangeRelay(keyListeners, failures);
        DataSetCheck dataSet = new DataSetCheck(redis, legacy, restore, position);
        CatchUp catchUp = new CatchUp(redis, legacy, dataSet, position, freshness, index, horizon);
        EntryApplier applier = new EntryApplier(index, position, freshness, keyChanges, listeners, clock, registry);
        this.tail = new RevocationTail(redis, position, freshness, catchUp, applier, dataSet, keyChanges, index,
                clock, failures);
        Gauge.builder("revocation.mirror.size", index, RevocationIndex::size)
                .description("Live revocations held in memory").register(registry);
        Gauge.builder("revocation.mirror.staleness", freshness, MirrorFreshness::stalenessMillis)
                .baseUnit("milliseconds").description("Time since the stream tail last heard from Redis")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        freshness.startStale();
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        tail.stop();
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
        return freshness.isCurrent();
    }

    long stalenessMillis() {
        return freshness.stalenessMillis();
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
}
