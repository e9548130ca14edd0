package dev.tokenservice.webhook;

import java.net.URI;
import java.util.Set;

/** One configured endpoint: where its deliveries go, the key that signs them and the event types it wants. */
record Webhook(String name, URI url, byte[] key, Set<String> events) {

    static final String ALL = "*";

    boolean wants(String type) {
        return events.contains(ALL) || events.contains(type);
    }
}
