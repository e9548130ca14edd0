package dev.tokenservice.feed;

import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.revocation.RevocationStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A client that opens connection after connection and reads none of them gets its own share of the node's slots and
 * no more: beyond it 429, and another client is still served.
 */
@QuarkusTest
@TestProfile(FeedFairnessTest.SixSlotsThreePerClient.class)
class FeedFairnessTest {

    public static class SixSlotsThreePerClient implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.feed.max-connections", "6", "auth.feed.max-connections-per-client", "3",
                    "auth.feed.max-connection", "30S", "auth.feed.heartbeat", "300ms");
        }
    }

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Inject
    RevocationStore store;

    /** Every slot is free again once the consumers are gone, whatever the next test needs. */
    @AfterEach
    void connectionsClosed() throws InterruptedException {
        for (int attempt = 0; attempt < 50 && FeedGauges.connections() > 0; attempt++) {
            Thread.sleep(100);
        }
        assertEquals(0, FeedGauges.connections(), "open feed connections after the consumers closed theirs");
    }

    @Test
    void aClientThatTriesToTakeEverySlotGetsItsShareAndTheOthersAreServed() throws Exception {
        List<StalledConsumer> stalled = new ArrayList<>();
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                StalledConsumer consumer = StalledConsumer.open(feed, FeedStream.CLIENT);
                stalled.add(consumer);
                statuses.add(consumer.status());
            }
            assertEquals(List.of(200, 200, 200, 429, 429, 429), statuses, "three per client, of six on the node");

            assertTooManyConnections();
            assertServed("orders-worker");
        } finally {
            for (StalledConsumer consumer : stalled) {
                consumer.close();
            }
        }
    }

    @Test
    void aClosedConnectionGivesItsClientTheSlotBack() throws Exception {
        List<StalledConsumer> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                stalled.add(StalledConsumer.open(feed, "reporting"));
            }
            stalled.remove(0).close();

            StalledConsumer again = reopen("reporting");
            stalled.add(again);
            assertEquals(200, again.status(), "the node freed the closed connection's slot");
        } finally {
            for (StalledConsumer consumer : stalled) {
                consumer.close();
            }
        }
    }

    private void assertTooManyConnections() {
        String retryAfter = assertProblem(given().header("Authorization",
                FeedStream.basic(FeedStream.CLIENT, FeedStream.SECRET)).get("/oauth/revocations"), 429,
                "too-many-connections").extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 31, "until the oldest connection ends (30 s at most): " + seconds);
    }

    private void assertServed(String client) throws Exception {
        try (FeedStream stream = FeedStream.open(feed, null, client)) {
            assertEquals("1000", stream.next().retry());
            assertEquals("snapshot", stream.nextEvent().event());
            UUID sid = UUID.randomUUID();
            store.revokeSessions(List.of(sid));
            stream.nextEventOfSession(sid);
        }
    }

    /** A new connection of {@code client}, once the node has noticed that one of its connections closed. */
    private StalledConsumer reopen(String client) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            StalledConsumer consumer = StalledConsumer.open(feed, client);
            if (consumer.status() != 429) {
                return consumer;
            }
            consumer.close();
            Thread.sleep(100);
        }
        return StalledConsumer.open(feed, client);
    }
}
