package dev.tokenservice.revocation;

import java.time.Clock;

import jakarta.enterprise.inject.Instance;

import dev.tokenservice.revocation.RevocationMirror.StreamId;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Response;

/**
 * Applies the entries of one stream read, in stream order: each moves the {@link StreamPosition} on, goes into the
 * {@link RevocationIndex}, and is passed to the {@link MirrorListener}s; a key change is noted for the
 * {@link KeyChangeRelay}. Measures how long revocations take to reach this node ({@code revocation.propagation}).
 */
final class EntryApplier {

    private final RevocationIndex index;
    private final StreamPosition position;
    private final MirrorFreshness freshness;
    private final KeyChangeRelay keyChanges;
    private final Instance<MirrorListener> listeners;
    private final Clock clock;
    private final DistributionSummary lag;

    EntryApplier(RevocationIndex index, StreamPosition position, MirrorFreshness freshness,
            KeyChangeRelay keyChanges, Instance<MirrorListener> listeners, Clock clock, MeterRegistry registry) {
        this.index = index;
        this.position = position;
        this.freshness = freshness;
        this.keyChanges = keyChanges;
        this.listeners = listeners;
        this.clock = clock;
        this.lag = DistributionSummary.builder("revocation.propagation").baseUnit("milliseconds")
                .description("Time from a revocation entering the stream to this node applying it")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** Applies the entries of an {@code XREAD} reply; null (nothing new) applies nothing. */
    void applyReply(Response reply) {
        if (reply == null) {
            return;
        }
        // RESP3 answers a map of stream to entries, RESP2 a list of [stream, entries] pairs
        Response entries = reply.isMap() ? reply.get(RevocationKeys.STREAM) : reply.get(0).get(1);
        for (Response entry : entries) {
            String id = entry.get(0).toString();
            position.advanceTo(StreamId.parse(id));
            applySafely(id, entry.get(1));
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
        if (RevocationEvent.KEYS.equals(event.kind())) {
            keyChanges.noted();
        }
        listeners.forEach(listener -> listener.applied(StreamId.parse(id), event));
        if (!freshness.isCaughtUp() || RevocationEvent.KEYS.equals(event.kind())) {
            return; // replayed history is not propagation
        }
        long enteredMillis = Long.parseLong(id.substring(0, id.indexOf('-')));
        lag.record(Math.max(0, clock.millis() - enteredMillis));
    }
}
