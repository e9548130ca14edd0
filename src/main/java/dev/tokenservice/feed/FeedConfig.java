package dev.tokenservice.feed;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The revocation feed ({@code GET /oauth/revocations}), under {@code auth.feed.*}. */
@ConfigMapping(prefix = "auth.feed")
public interface FeedConfig {

    /** How often an open connection gets a heartbeat comment, sent only while this node's mirror is current. */
    @WithDefault("15S")
    Duration heartbeat();

    /**
     * How long a connection lasts before the node ends it cleanly (the consumer reconnects with Last-Event-ID);
     * shorter than any proxy's timeout, so no proxy cuts a stream mid-event.
     */
    @WithDefault("5M")
    Duration maxConnection();

    /**
     * Open connections one node serves at most; beyond them 503, so that no client can exhaust a node. With
     * {@link #maxBuffer()} it bounds what the feed holds for slow consumers (100 x 256 KiB by default).
     */
    @WithDefault("100")
    int maxConnections();

    /**
     * Open connections one client may hold on one node; beyond them 429 with Retry-After, so that a client that opens
     * connections and leaves them unread cannot take the slots of the others. The replicas of one consumer service
     * share its client id and each hold a connection, to some node: leave room for them.
     */
    @WithDefault("10")
    int maxConnectionsPerClient();

    /**
     * Bytes of events one connection may hold for a consumer that does not read them (queued, or handed to the socket
     * and not yet sent); beyond them the node closes the connection and the consumer resumes with Last-Event-ID. A
     * snapshot, or the events a resumed consumer missed, is written as the consumer reads it, a chunk at a time.
     */
    @WithDefault("256K")
    MemorySize maxBuffer();

    /** How many recent stream entries each node keeps for consumers that reconnect with Last-Event-ID. */
    @WithDefault("10000")
    int history();
}
