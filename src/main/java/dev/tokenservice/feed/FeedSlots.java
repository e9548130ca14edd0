package dev.tokenservice.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The feed connections one node serves: at most {@code auth.feed.max-connections} in all, and at most
 * {@code auth.feed.max-connections-per-client} of one client, so that no client, however many connections it opens
 * and leaves unread, takes the slots of the others.
 */
final class FeedSlots {

    enum Admission {
        OPEN, NODE_FULL, CLIENT_FULL
    }

    private final int maxConnections;
    private final int maxPerClient;
    private final long maxConnectionNanos;
    private int open;
    /**
     * When each client's open connections were opened, by client id. Only clients that authenticated get a slot, so
     * the ids are those of the registry, each with at most {@code maxPerClient} entries.
     */
    private final Map<String, List<Long>> openedByClient = new HashMap<>();

    FeedSlots(int maxConnections, int maxPerClient, Duration maxConnection) {
        this.maxConnections = maxConnections;
        this.maxPerClient = maxPerClient;
        this.maxConnectionNanos = maxConnection.toNanos();
    }

    /** Takes a slot for a connection of {@code clientId} opened at {@code openedNanos}, or says why there is none. */
    synchronized Admission take(String clientId, long openedNanos) {
        if (open >= maxConnections) {
            return Admission.NODE_FULL;
        }
        if (openedByClient.getOrDefault(clientId, List.of()).size() >= maxPerClient) {
            return Admission.CLIENT_FULL;
        }
        openedByClient.computeIfAbsent(clientId, id -> new ArrayList<>(maxPerClient)).add(openedNanos);
        open++;
        return Admission.OPEN;
    }

    synchronized void free(String clientId, long openedNanos) {
        List<Long> opened = openedByClient.get(clientId);
        if (opened != null && opened.remove(Long.valueOf(openedNanos))) {
            open--;
            if (opened.isEmpty()) {
                openedByClient.remove(clientId);
            }
        }
    }

    /** Seconds until the node ends the oldest connection {@code clientId} holds here (at least 1). */
    synchronized long secondsUntilFree(String clientId, long nowNanos) {
        long oldest = openedByClient.getOrDefault(clientId, List.of(nowNanos)).stream()
                .mapToLong(Long::longValue).min().orElse(nowNanos);
        long remaining = Duration.ofNanos(oldest + maxConnectionNanos - nowNanos).toSeconds();
        return Math.max(1, remaining + 1);
    }
}
