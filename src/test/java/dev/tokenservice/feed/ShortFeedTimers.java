package dev.tokenservice.feed;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A heartbeat every 300 ms, connections ended after 4 s, a history of 20 entries and at most 16 connections (all of
 * which one client may hold), so the tests need not wait.
 */
public class ShortFeedTimers implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("auth.feed.heartbeat", "300ms", "auth.feed.max-connection", "4S", "auth.feed.history", "20",
                "auth.feed.max-connections", "16", "auth.feed.max-connections-per-client", "16");
    }
}
