package dev.tokenservice.revocation;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.cluster.ScratchRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Runs against its own redis-server, stops it, and checks that nothing carrying a token gets through. */
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
}
