package dev.tokenservice.feed;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.revocation.RevocationStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A consumer that stops reading while revocations pour in: the node holds no more than a bound for it, cuts it off,
 * and goes on serving the others. The history is long, so that it is the bytes that cut the consumer off, not the
 * number of events behind it.
 */
@QuarkusTest
@TestProfile(FeedBackPressureTest.SmallBuffer.class)
class FeedBackPressureTest {

    private static final long MAX_BUFFER = 16 * 1024;
    /** What the socket may hold besides: Netty's high water mark (64 KiB) and the chunk written when it was under. */
    private static final long SOCKET_QUEUE = 72 * 1024;

    public static class SmallBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.feed.max-buffer", Long.toString(MAX_BUFFER), "auth.feed.history", "100000",
                    "auth.feed.max-connection", "2M", "auth.feed.heartbeat", "300ms");
        }
    }

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Inject
    RevocationStore store;

    @Test
    void aConsumerThatStopsReadingIsCutOffWhileTheNodeHoldsLittleForIt() throws Exception {
        AtomicLong most = new AtomicLong();
        try (StalledConsumer stalled = StalledConsumer.open(feed, FeedStream.CLIENT)) {
            assertEquals(200, stalled.status());
            // the headers go out as the connection starts, a moment before the node counts it
            for (int wait = 0; wait < 100 && FeedGauges.connections() == 0; wait++) {
                Thread.sleep(50);
            }
            assertEquals(1.0, FeedGauges.connections(), "the stalled consumer's connection");

            int revoked = revokeUntilNoConnection(most);

            assertEquals(0.0, FeedGauges.connections(), "cut off after " + revoked + " revocations");
            assertTrue(most.get() <= MAX_BUFFER + SOCKET_QUEUE, "the node held at most " + most.get() + " bytes");
            assertTrue(stalled.readUntilCutOff(Duration.ofSeconds(10)), "closed, not ended cleanly");
        }
        assertEquals(0.0, FeedGauges.queuedBytes(), "nothing held for a closed connection");
        assertStillServing();
    }

    /**
     * Revokes tokens that expire within seconds (so that other tests' snapshots soon forget them), a thousand at a
     * time from four threads, until the node has no open feed connection or far more than any socket buffers went
     * out; {@code most} gets the most bytes the node held for its consumers meanwhile.
     */
    private int revokeUntilNoConnection(AtomicLong most) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        int revoked = 0;
        try {
            while (FeedGauges.connections() > 0 && revoked < 200_000) {
                Instant expiry = Instant.now().plusSeconds(1);
                List<Future<?>> rounds = new ArrayList<>();
                for (int writer = 0; writer < 4; writer++) {
                    rounds.add(writers.submit(() -> revokeTokens(250, expiry, most)));
                }
                for (Future<?> round : rounds) {
                    round.get();
                }
                revoked += 1000;
            }
            Thread.sleep(500);
            most.accumulateAndGet((long) FeedGauges.queuedBytes(), Math::max);
            return revoked;
        } finally {
            writers.shutdownNow();
        }
    }

    private void revokeTokens(int count, Instant expiry, AtomicLong most) {
        for (int n = 0; n < count; n++) {
            store.revokeToken(UUID.randomUUID(), expiry);
            most.accumulateAndGet((long) FeedGauges.queuedBytes(), Math::max);
        }
    }

    private void assertStillServing() throws Exception {
        given().get("/q/health/ready").then().statusCode(200);
        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            UUID sid = UUID.randomUUID();
            store.revokeSessions(List.of(sid));
            stream.nextEventOfSession(sid);
        }
    }
}
