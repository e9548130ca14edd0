package dev.tokenservice.revocation;

import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import dev.tokenservice.feed.FeedStream;
import dev.tokenservice.feed.FeedStream.Block;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Revoking what is already revoked (RFC 7009, 25 times each: an access token, a refresh token, a spent refresh
 * token) answers 200 every time but appends one stream entry and sends one feed event per distinct revocation.
 * Entries are counted by subject, so other writers of the test database do not disturb the counts.
 */
@QuarkusTest
class RevokeIsIdempotentTest {

    private static final int TIMES = 25;

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Inject
    RedisDataSource redis;

    @Inject
    RedisRevocationStore store;

    @Test
    void revokingAgainAppendsNothingAndAnnouncesNothing() throws Exception {
        Tokens access = newSession();
        Tokens live = newSession();
        Tokens rotated = newSession();
        String spent = rotated.refreshToken();
        refresh(spent).then().statusCode(200);
        String jti = claim(access.accessToken(), "jti");
        String liveSid = claim(live.accessToken(), "sid");
        String spentSid = claim(rotated.accessToken(), "sid");
        Set<String> subjects = Set.of(jti, liveSid, spentSid);

        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            String start = StreamEntries.head(redis);
            double tokensBefore = revokedMetric("token");
            double sessionsBefore = revokedMetric("session");
            revokeRepeatedly(access.accessToken());
            assertEquals(1, StreamEntries.countAfter(redis, start, subjects), "after revoking an access token " + TIMES + " times");
            revokeRepeatedly(live.refreshToken());
            assertEquals(2, StreamEntries.countAfter(redis, start, subjects), "after also a refresh token " + TIMES + " times");
            revokeRepeatedly(spent);
            assertEquals(3, StreamEntries.countAfter(redis, start, subjects), "after also a spent one " + TIMES + " times");
            assertEquals(1, revokedMetric("token") - tokensBefore, "tokens_revoked_total{scope=token} counts one");
            assertEquals(2, revokedMetric("session") - sessionsBefore, "tokens_revoked_total{scope=session} counts two");

            Tokens marker = newSession();
            String markerJti = claim(marker.accessToken(), "jti");
            revoke(marker.accessToken()).then().statusCode(200);
            List<String> announced = eventsUntil(stream, markerJti, subjects);
            System.out.printf("RevokeIsIdempotentTest: %d revocation requests, %d stream entries, feed events %s%n",
                    3 * TIMES, StreamEntries.countAfter(redis, start, subjects), announced);
            assertEquals(List.of(jti, liveSid, spentSid), announced, "each revocation announced once, in order");
        }
    }

    /** Past this node's own check, the script itself appends nothing for a key that already holds as much. */
    @Test
    void theScriptSkipsWhatRedisHoldsAlready() {
        Tokens tokens = newSession();
        String jti = claim(tokens.accessToken(), "jti");
        String sid = claim(tokens.accessToken(), "sid");
        String start = StreamEntries.head(redis);
        revoke(tokens.accessToken()).then().statusCode(200);
        long until = TokenParts.claims(tokens.accessToken()).getLong("exp") + 5;
        RevocationEvent token = new RevocationEvent(RevocationEvent.TOKEN, UUID.fromString(jti), until, 0);
        RevocationEvent session = new RevocationEvent(RevocationEvent.SESSION, UUID.fromString(sid),
                Instant.now().plusSeconds(900).getEpochSecond(), 0);
        store.restore(List.of(token));
        store.restore(List.of(token, session));
        store.restore(List.of(session));
        assertEquals(2, StreamEntries.countAfter(redis, start, Set.of(jti, sid)), "the token's entry and the session's, once each");
    }

    private static void revokeRepeatedly(String token) {
        for (int i = 0; i < TIMES; i++) {
            revoke(token).then().statusCode(200);
        }
    }

    private static io.restassured.response.Response revoke(String token) {
        return json().body(Map.of("token", token)).post("/auth/revoke");
    }

    /** The subjects of the feed's events up to the marker's, those among {@code subjects} only. */
    private static List<String> eventsUntil(FeedStream stream, String marker, Set<String> subjects)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        while (true) {
            Block block = stream.nextEvent();
            assertEquals("revocation", block.event());
            String subject = block.json().getString("jti") != null ? block.json().getString("jti")
                    : block.json().getString("sid");
            if (marker.equals(subject)) {
                return seen;
            }
            if (subjects.contains(subject)) {
                seen.add(subject);
            }
        }
    }

    private static double revokedMetric(String scope) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("tokens_revoked_total{") && line.contains("scope=\"" + scope + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String claim(String accessToken, String name) {
        return TokenParts.claims(accessToken).getString(name);
    }
}
