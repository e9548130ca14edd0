package dev.tokenservice.feed;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.newSession;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.Problems;
import dev.tokenservice.TokenParts;
import dev.tokenservice.feed.FeedStream.Block;
import dev.tokenservice.revocation.RevocationMirror.StreamId;
import dev.tokenservice.revocation.RevocationStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** New revocations arrive as events with ids; a consumer that reconnects gets what it missed, or a snapshot. */
@QuarkusTest
@TestProfile(ShortFeedTimers.class)
class FeedEventsTest {

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Inject
    RevocationStore store;

    @Test
    void aLogoutAfterConnectingArrivesAsRevocationEvents() throws Exception {
        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            Tokens session = newSession();
            JsonPath claims = TokenParts.claims(session.accessToken());

            bearer(session.accessToken()).post("/auth/logout").then().statusCode(204);

            Block token = stream.nextEvent();
            assertEquals("revocation", token.event());
            assertEquals("token", token.json().getString("type"));
            assertEquals(claims.getString("jti"), token.json().getString("jti"));
            Block sessionEvent = stream.nextEvent();
            assertEquals(claims.getString("sid"), sessionEvent.json().getString("sid"));
            assertTrue(StreamId.parse(sessionEvent.id()).compareTo(StreamId.parse(token.id())) > 0, "ids ascend");
        }
    }

    @Test
    void reconnectingWithLastEventIdGetsOnlyWhatItMissed() throws Exception {
        String lastSeen;
        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            logout(newSession());
            stream.nextEvent();
            lastSeen = stream.nextEvent().id();
        }
        Tokens missed = newSession();
        logout(missed);

        try (FeedStream resumed = FeedStream.open(feed, lastSeen)) {
            assertEquals("1000", resumed.next().retry());
            Block first = resumed.nextEvent();
            assertEquals("revocation", first.event(), "no snapshot: only the missed events");
            assertEquals(TokenParts.claims(missed.accessToken()).getString("jti"), first.json().getString("jti"));
            assertEquals(TokenParts.claims(missed.accessToken()).getString("sid"),
                    resumed.nextEvent().json().getString("sid"));
        }
    }

    @Test
    void anUnknownOrMalformedIdGetsASnapshot() throws Exception {
        for (String lastEventId : List.of("1-0", "99999999999999-0", "not-an-id", "")) {
            try (FeedStream stream = FeedStream.open(feed, lastEventId)) {
                assertEquals("1000", stream.next().retry());
                assertEquals("snapshot", stream.next().event(), lastEventId);
            }
        }
    }

    @Test
    void anIdOlderThanTheHistoryGetsASnapshot() throws Exception {
        String old;
        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            logout(newSession());
            old = stream.nextEvent().id();
            stream.nextEvent();
            store.revokeSessions(IntStream.range(0, 25).mapToObj(i -> UUID.randomUUID()).toList());
            for (int i = 0; i < 25; i++) {
                assertEquals("session", stream.nextEvent().json().getString("type"));
            }
        }

        try (FeedStream stream = FeedStream.open(feed, old)) {
            assertEquals("1000", stream.next().retry());
            assertEquals("snapshot", stream.next().event(), "the history holds only the last 20 entries");
        }
    }

    @Test
    void heartbeatsArriveWhileTheMirrorIsCurrent() throws Exception {
        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            Block heartbeat = stream.next(Duration.ofSeconds(2));
            assertEquals("heartbeat", heartbeat.comment());
            assertNull(heartbeat.event());
        }
    }

    @Test
    void theNodeEndsAConnectionAfterMaxConnection() throws Exception {
        long started = System.nanoTime();
        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            Block block;
            do {
                block = stream.next();
            } while (block != Block.END);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue(seconds >= 3 && seconds < 8, "ended after " + seconds + " s, configured 4 s");
    }

    @Test
    void connectionsBeyondTheLimitGet503() throws Exception {
        List<FeedStream> open = new ArrayList<>();
        ExecutorService openers = Executors.newFixedThreadPool(16);
        try {
            // all at once: opened one after the other on a busy machine, the first could reach the 4 s
            // max-connection of this profile and end before the last opened
            List<CompletableFuture<FeedStream>> opening = IntStream.range(0, 16)
                    .mapToObj(i -> CompletableFuture.supplyAsync(this::openFeed, openers)).toList();
            for (CompletableFuture<FeedStream> stream : opening) {
                open.add(stream.join());
            }
            Problems.assertProblem(given().header("Authorization", FeedStream.basic(FeedStream.CLIENT, FeedStream.SECRET))
                    .get("/oauth/revocations"), 503, "unavailable").header("Retry-After", "1");
        } finally {
            openers.shutdownNow();
            for (FeedStream stream : open) {
                stream.close();
            }
        }
    }

    private FeedStream openFeed() {
        try {
            return FeedStream.open(feed, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void logout(Tokens session) {
        bearer(session.accessToken()).post("/auth/logout").then().statusCode(204);
    }
}
