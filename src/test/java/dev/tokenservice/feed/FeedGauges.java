package dev.tokenservice.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;

/** The feed's gauges on the node under test. */
final class FeedGauges {

    private FeedGauges() {
    }

    /** Open feed connections. */
    static double connections() {
        return value("revocation.feed.connections");
    }

    /** Bytes the connections hold for consumers that have not read them. */
    static double queuedBytes() {
        return value("revocation.feed.queued");
    }

    private static double value(String name) {
        return Arc.container().instance(MeterRegistry.class).get().get(name).gauge().value();
    }
}
