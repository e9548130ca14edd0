package dev.tokenservice.revocation;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import dev.tokenservice.cluster.ScratchRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Runs against its own redis-server. Stopped: nothing carrying a token gets through. Losing its data (a flush; a
 * restart without persistence): the node notices, writes every revocation PostgreSQL holds (sessions, single
 * access tokens, users' cut-offs) back into Redis, where a node started later replays them, and never accepts a
 * revoked token meanwhile.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.OwnRedis.class)
class RedisOutageTest {

    static final int PORT = 16391;
    static final ScratchRedis REDIS = new ScratchRedis(PORT, false);

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + PORT);
        }
    }

    @BeforeAll
    static void startRedis() {
        REDIS.start();
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void tokensAreRefusedWith503WhileRedisIsDownAndAcceptedAfter() throws InterruptedException {
        Tokens tokens = newSession();
        greeting(tokens.accessToken()).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);

        REDIS.stop();
        try {
            // the mirror answers from memory until it has been cut off for auth.revocation.max-staleness
            awaitStatus(tokens.accessToken(), 503, Duration.ofSeconds(5));
            assertProblem(greeting(tokens.accessToken()), 503, "unavailable").header("Retry-After", equalTo("1"));
            assertProblem(bearer(tokens.accessToken()).get("/auth/me"), 503, "unavailable");
            assertProblem(bearer(tokens.accessToken()).post("/auth/logout"), 503, "unavailable");
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            REDIS.start();
        }

        awaitStatus(tokens.accessToken(), 200, Duration.ofSeconds(5));
        bearer(tokens.accessToken()).post("/auth/logout").then().statusCode(204);
        greeting(tokens.accessToken()).then().statusCode(401);
    }

    private static void awaitStatus(String accessToken, int status, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (greeting(accessToken).statusCode() != status) {
            if (Instant.now().isAfter(deadline)) {
                greeting(accessToken).then().statusCode(status);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aFlushLosesNoRevokedSession() throws Exception {
        Tokens revoked = newSession();
        Tokens valid = newSession();
        bearer(revoked.accessToken()).post("/auth/logout").then().statusCode(204);
        String before = REDIS.cli("GET", RevocationKeys.GENERATION);

        REDIS.cli("FLUSHALL");
        Map<String, Integer> seen = awaitRestored(revoked, valid);
        System.out.printf("after FLUSHALL: %s%n", seen);
        assertTrue(!before.equals(REDIS.cli("GET", RevocationKeys.GENERATION)), "a new generation");
    }

    @Test
    void aRestartWithoutPersistenceLosesNoRevokedSession() throws Exception {
        Tokens revoked = newSession();
        Tokens valid = newSession();
        bearer(revoked.accessToken()).post("/auth/logout").then().statusCode(204);

        REDIS.stop();
        REDIS.start();
        Map<String, Integer> seen = awaitRestored(revoked, valid);
        System.out.printf("after a restart without persistence: %s%n", seen);
    }

    @Test
    void aFlushLosesNoRevokedAccessTokenNorCutoff() throws Exception {
        Tokens revoked = newSession();
        Tokens cutOff = newSession();
        Tokens valid = newSession();
        given().contentType("application/json").body(Map.of("token", revoked.accessToken())).post("/auth/revoke")
                .then().statusCode(200);
        bearer(cutOff.accessToken()).post("/auth/logout-all").then().statusCode(204);
        String jti = TokenParts.claims(revoked.accessToken()).getString("jti");
        String user = TokenParts.claims(cutOff.accessToken()).getString("sub");
        String cutoffKey = RevocationKeys.user(UUID.fromString(user));
        String before = REDIS.cli("GET", cutoffKey);

        REDIS.cli("FLUSHALL");
        Instant flushed = Instant.now();
        Map<String, Integer> seen = awaitRestored(List.of(revoked.accessToken(), cutOff.accessToken()), valid,
                Map.of(RevocationKeys.TOKEN_PREFIX + jti, jti, cutoffKey, user));
        System.out.printf("after FLUSHALL, a revoked access token and a user cut-off restored in %d ms: %s%n",
                Duration.between(flushed, Instant.now()).toMillis(), seen);
        assertEquals(before, REDIS.cli("GET", cutoffKey), "the same cut-off");
        assertInvalidToken(greeting(revoked.accessToken()));
        assertInvalidToken(greeting(cutOff.accessToken()));
    }

    private static Map<String, Integer> awaitRestored(Tokens revoked, Tokens valid) throws Exception {
        String sid = TokenParts.claims(revoked.accessToken()).getString("sid");
        return awaitRestored(List.of(revoked.accessToken()), valid,
                Map.of(RevocationKeys.session(UUID.fromString(sid)), sid));
    }

    /**
     * Polls until every key is back in Redis with its subject in the stream and the valid token is served; the
     * revoked tokens are never served meanwhile.
     */
    private static Map<String, Integer> awaitRestored(List<String> revoked, Tokens valid, Map<String, String> keys)
            throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        Instant deadline = Instant.now().plusSeconds(15);
        boolean restored = false;
        boolean served = false;
        while (!(restored && served)) {
            assertTrue(Instant.now().isBefore(deadline), "not restored in time: " + seen);
            for (String token : revoked) {
                int revokedStatus = greeting(token).statusCode();
                seen.merge("revoked:" + revokedStatus, 1, Integer::sum);
                assertTrue(revokedStatus == 401 || revokedStatus == 503, "revoked token answered " + revokedStatus);
            }
            int validStatus = greeting(valid.accessToken()).statusCode();
            seen.merge("valid:" + validStatus, 1, Integer::sum);
            String stream = REDIS.cli("XRANGE", RevocationKeys.STREAM, "-", "+");
            restored = keys.entrySet().stream().allMatch(key -> "1".equals(REDIS.cli("EXISTS", key.getKey()))
                    && stream.contains(key.getValue()));
            served = validStatus == 200;
            Thread.sleep(50);
        }
        // a node started now replays the stream: the entry is there, under a generation marked restored
        assertEquals(REDIS.cli("GET", RevocationKeys.GENERATION), REDIS.cli("GET", RevocationKeys.RESTORED));
        return seen;
    }
}
