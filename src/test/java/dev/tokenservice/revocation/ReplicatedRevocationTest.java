package dev.tokenservice.revocation;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Problems.assertInvalidToken;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
import io.restassured.response.Response;

/**
 * {@code auth.revocation.min-replicas=1} against its own master and replica: a logout waits (boundedly) for the
 * replica. With the replica down it is still acknowledged, since PostgreSQL holds it before Redis is written; the
 * shortfall is counted in {@code revocation_replica_shortfalls_total}, and the replica catches up once it is back.
 */
@QuarkusTest
@TestProfile(ReplicatedRevocationTest.MasterAndReplica.class)
class ReplicatedRevocationTest {

    static final int MASTER = 16392;
    static final int REPLICA = 16393;
    static final ScratchRedis MASTER_REDIS = new ScratchRedis(MASTER, false);
    static final ScratchRedis REPLICA_REDIS = new ScratchRedis(REPLICA, false).replicaOf(MASTER);

    public static class MasterAndReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + MASTER,
                    "auth.revocation.min-replicas", "1", "auth.revocation.replica-timeout", "500MS");
        }
    }

    @BeforeAll
    static void startRedis() {
        MASTER_REDIS.start();
        REPLICA_REDIS.start();
        awaitReplicas(1);
    }

    @AfterAll
    static void stopRedis() {
        REPLICA_REDIS.stop();
        MASTER_REDIS.stop();
    }

    @Test
    void aMissingReplicaDelaysARevocationButDoesNotRefuseIt() throws Exception {
        Tokens replicated = newSession();
        bearer(replicated.accessToken()).post("/auth/logout").then().statusCode(204);
        assertEquals("1", REPLICA_REDIS.cli("EXISTS", sessionKey(replicated)));

        Tokens unconfirmed = newSession();
        REPLICA_REDIS.stop();
        try {
            Instant sent = Instant.now();
            Response logout = bearer(unconfirmed.accessToken()).post("/auth/logout");
            long millis = Duration.between(sent, Instant.now()).toMillis();
            System.out.printf("logout with no replica: %d in %d ms%n", logout.statusCode(), millis);
            assertEquals(204, logout.statusCode());
            assertTrue(millis < 3000, "the replica wait is bounded: " + millis + " ms");
            assertInvalidToken(greeting(unconfirmed.accessToken()));
            double before = shortfalls();
            bearer(newSession().accessToken()).post("/auth/logout-all").then().statusCode(204);
            assertTrue(shortfalls() >= before + 1, "the shortfall is counted");
        } finally {
            REPLICA_REDIS.start();
            awaitReplicas(1);
        }
        // the master kept the write, and the replica catches up on it
        assertEquals("1", REPLICA_REDIS.cli("EXISTS", sessionKey(unconfirmed)));
        bearer(newSession().accessToken()).post("/auth/logout").then().statusCode(204);
    }

    private static double shortfalls() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("revocation_replica_shortfalls_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String sessionKey(Tokens tokens) {
        return RevocationKeys.session(UUID.fromString(TokenParts.claims(tokens.accessToken()).getString("sid")));
    }

    private static void awaitReplicas(int count) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!MASTER_REDIS.cli("INFO", "replication").contains("connected_slaves:" + count)
                || !REPLICA_REDIS.cli("INFO", "replication").contains("master_link_status:up")) {
            assertTrue(Instant.now().isBefore(deadline), "the replica did not connect");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
