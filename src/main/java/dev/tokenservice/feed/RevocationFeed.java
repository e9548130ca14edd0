package dev.tokenservice.feed;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.key.KeyService;
import dev.tokenservice.key.RetiredKey;
import dev.tokenservice.revocation.KeyChangeListener;
import dev.tokenservice.revocation.MirrorListener;
import dev.tokenservice.revocation.RevocationEvent;
import dev.tokenservice.revocation.RevocationMirror;
import dev.tokenservice.revocation.RevocationMirror.StreamId;
import dev.tokenservice.token.TokenConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * What consumers of {@code GET /oauth/revocations} get from this node's revocation mirror: a snapshot of every live
 * revocation with the stream id it is current to, then each stream entry as the mirror applies it. The last
 * {@code auth.feed.history} entries are kept, so a consumer that reconnects with the id of an event it got (from any
 * node: stream ids are the same everywhere) gets only what it missed. Keys retired at once come from the database
 * when the mirror reads a key change.
 */
@ApplicationScoped
public class RevocationFeed implements MirrorListener, KeyChangeListener {

    private final RevocationMirror mirror;
    private final KeyService keys;
    private final Clock clock;
    private final FeedFormat format;
    private final int capacity;
    private final FeedSlots slots;
    private final long clockSkewMillis;
    /** Bytes every open connection holds for its consumer, queued or handed to the socket and not yet sent. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Retired keys announced so far, by kid. */
    private final Map<String, Revocation> retiredKeys = new ConcurrentHashMap<>();
    private final TreeMap<StreamId, List<Revocation>> history = new TreeMap<>();
    private final Set<FeedConnection> connections = new HashSet<>();
    /** The entry the history starts after: every later entry this node applied is in it. Null before the first read. */
    private StreamId floor;
    private StreamId last;
    /** A key change whose retired keys could not be read yet. */
    private volatile boolean keyCheckPending;

    public RevocationFeed(RevocationMirror mirror, KeyService keys, Clock clock, ObjectMapper json, FeedConfig config,
            TokenConfig tokenConfig, MeterRegistry registry) {
        this.mirror = mirror;
        this.keys = keys;
        this.clock = clock;
        this.format = new FeedFormat(json);
        this.capacity = config.history();
        this.slots = new FeedSlots(config.maxConnections(), config.maxConnectionsPerClient(), config.maxConnection());
        this.clockSkewMillis = tokenConfig.clockSkew().toMillis();
        Gauge.builder("revocation.feed.connections", this, RevocationFeed::connectionCount)
                .description("Open connections of the revocation feed on this node").register(registry);
        Gauge.builder("revocation.feed.queued", queuedBytes, AtomicLong::get).baseUnit("bytes")
                .description("Bytes the feed's connections hold for consumers that have not read them yet")
                .register(registry);
    }

    FeedFormat format() {
        return format;
    }

    synchronized boolean isReady() {
        return last != null;
    }

    /** Takes a slot for {@code connection}, or says why there is none; the slot is freed when the connection closes. */
    FeedSlots.Admission admit(FeedConnection connection) {
        return slots.take(connection.clientId(), connection.openedNanos());
    }

    /** Seconds until a connection of {@code clientId} on this node ends, for a client refused for holding too many. */
    long retryAfterSeconds(String clientId) {
        return slots.secondsUntilFree(clientId, System.nanoTime());
    }

    /**
     * Registers a connection: it gets the events after {@code lastEventId} if that is an event this node still holds,
     * otherwise a snapshot.
     */
    synchronized void open(FeedConnection connection, String lastEventId) {
        StreamId resumeAfter = parse(lastEventId);
        if (resumeAfter != null && (resumeAfter.equals(floor) || history.containsKey(resumeAfter))) {
            StringBuilder missed = new StringBuilder();
            history.tailMap(resumeAfter, false).forEach((id, revocations) ->
                    missed.append(format.revocations(id, revocations)));
            connection.sendMissed(missed.toString());
        } else {
            connection.sendSnapshot(last);
        }
        connections.add(connection);
    }

    synchronized void close(FeedConnection connection) {
        connections.remove(connection);
        slots.free(connection.clientId(), connection.openedNanos());
    }

    void queued(long bytes) {
        queuedBytes.addAndGet(bytes);
    }

    private synchronized int connectionCount() {
        return connections.size();
    }

    /** Every live revocation and retired key; may hold entries that also arrive later as events. */
    List<Revocation> snapshot() {
        long now = clock.instant().getEpochSecond();
        List<Revocation> all = new ArrayList<>();
        for (RevocationEvent event : mirror.live()) {
            Revocation revocation = Revocation.of(event);
            if (revocation != null && revocation.exp() >= now) {
                all.add(revocation);
            }
        }
        retiredKeys.values().stream().filter(key -> key.exp() >= now).forEach(all::add);
        return all;
    }

    @Override
    public void rereading(StreamId from) {
        if (from.millis() == 0) {
            // another data set: its stream holds none of the key changes so far
            loadRetiredKeys(Long.MAX_VALUE);
        }
        synchronized (this) {
            history.clear();
            floor = from;
            last = from;
            connections.forEach(connection -> connection.sendSnapshot(from));
        }
    }

    @Override
    public void applied(StreamId id, RevocationEvent event) {
        List<Revocation> revocations = RevocationEvent.KEYS.equals(event.kind())
                ? loadRetiredKeys(id.millis() + clockSkewMillis)
                : List.of(Revocation.of(event));
        publish(id, revocations);
    }

    /** Retries reading the retired keys after a key change; throwing keeps the mirror from counting as current. */
    @Override
    public void keysChanged() {
        if (keyCheckPending) {
            List<Revocation> found = newlyRetired(keys.retiredKeys(), Long.MAX_VALUE);
            keyCheckPending = false;
            if (!found.isEmpty()) {
                synchronized (this) {
                    publish(last, found);
                }
            }
        }
    }

    private synchronized void publish(StreamId id, List<Revocation> revocations) {
        history.merge(id, revocations, (earlier, later) -> {
            List<Revocation> both = new ArrayList<>(earlier);
            both.addAll(later);
            return both;
        });
        last = id;
        while (history.size() > capacity) {
            floor = history.pollFirstEntry().getKey();
        }
        if (!revocations.isEmpty() && !connections.isEmpty()) {
            String text = format.revocations(id, revocations);
            connections.forEach(connection -> connection.send(text));
        }
    }

    /** The keys retired no later than {@code untilMillis} that were not announced yet; none if the database fails. */
    private List<Revocation> loadRetiredKeys(long untilMillis) {
        try {
            return newlyRetired(keys.retiredKeys(), untilMillis);
        } catch (RuntimeException e) {
            Log.warnf("retired signing keys could not be read; the mirror retries before it is current: %s",
                    e.getMessage());
            keyCheckPending = true;
            return List.of();
        }
    }

    private List<Revocation> newlyRetired(List<RetiredKey> retired, long untilMillis) {
        long now = clock.instant().getEpochSecond();
        retiredKeys.values().removeIf(key -> key.exp() < now);
        List<Revocation> found = new ArrayList<>();
        for (RetiredKey key : retired) {
            if (key.retiredAt().toEpochMilli() <= untilMillis && !retiredKeys.containsKey(key.kid())) {
                Revocation revocation = Revocation.of(key);
                retiredKeys.put(key.kid(), revocation);
                found.add(revocation);
            }
        }
        return found;
    }

    private static StreamId parse(String id) {
        if (id == null || id.length() > 41) {
            return null;
        }
        try {
            return StreamId.parse(id.strip());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
