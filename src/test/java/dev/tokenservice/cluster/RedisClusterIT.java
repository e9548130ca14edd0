package dev.tokenservice.cluster;

import static dev.tokenservice.cluster.ClusterIT.awaitStatus;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.tokenservice.Concurrent;
import dev.tokenservice.revocation.RevocationKeys;
import io.restassured.response.Response;

/**
 * Two nodes of the packaged service on a Redis Cluster of three masters ({@code quarkus.redis.client-type=cluster},
 * hosts listing the masters): the token lifecycle, revocations made on the other node, login throttling counted
 * across nodes with counters spread over the masters, and key rotation; and no command refused for its slot.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static final List<Integer> REDIS_PORTS = List.of(16420, 16421, 16422);
    private static final int POSTGRES_PORT = 19589;
    private static final int MAX_FAILURES = 3;

    private static ScratchPostgres postgres;
    private static RedisClusterSet redis;
    private static ServiceProcess nodeA;
    private static ServiceProcess nodeB;
    private static Client a;
    private static Client b;

    @BeforeAll
    static void start() {
        postgres = new ScratchPostgres(POSTGRES_PORT);
        postgres.start();
        redis = new RedisClusterSet(REDIS_PORTS);
        redis.start();
        Map<String, String> settings = Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.redis.client-type", "cluster",
                "quarkus.redis.hosts", redis.hosts(),
                "auth.signing-key.encryption-key", "redis-cluster-it key-encryption key",
                "auth.admin.username", LocalCluster.ADMIN_USERNAME,
                "auth.admin.password", LocalCluster.ADMIN_PASSWORD,
                "auth.login.max-failures", Integer.toString(MAX_FAILURES));
        nodeA = ServiceProcess.start(19580, settings);
        nodeB = ServiceProcess.start(19581, settings);
        a = new Client(nodeA.baseUri());
        b = new Client(nodeB.baseUri());
    }

    @AfterAll
    static void stop() {
        try {
            if (nodeA != null) {
                nodeA.close();
            }
            if (nodeB != null) {
                nodeB.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
            postgres.stop();
        }
    }

    @Test
    @Order(1)
    void aTokenLivesAndDiesOnBothNodes() {
        String username = randomUsername();
        a.register(username).then().statusCode(201);
        Response login = a.login(username, Client.PASSWORD).then().statusCode(200).extract().response();
        a.greeting(login.path("access_token")).then().statusCode(200).body("message", equalTo("Hey " + username));
        b.greeting(login.path("access_token")).then().statusCode(200);

        Response refreshed = b.refresh(login.path("refresh_token")).then().statusCode(200).extract().response();
        String token = refreshed.path("access_token");
        a.greeting(token).then().statusCode(200);
        a.bearer(token).post("/auth/logout").then().statusCode(204);

        a.greeting(token).then().statusCode(401);
        awaitStatus(() -> b.greeting(token).statusCode(), 401, ClusterIT.PROPAGATION);
        b.refresh(refreshed.path("refresh_token")).then().statusCode(401);
    }

    @Test
    @Order(2)
    void revocationsMadeOnBAreEnforcedOnA() {
        String loggedOut = a.newSession().path("access_token");
        a.greeting(loggedOut).then().statusCode(200);
        b.bearer(loggedOut).post("/auth/logout").then().statusCode(204);
        awaitStatus(() -> a.greeting(loggedOut).statusCode(), 401, ClusterIT.PROPAGATION);

        String username = randomUsername();
        a.register(username).then().statusCode(201);
        String first = a.login(username, Client.PASSWORD).then().statusCode(200).extract().path("access_token");
        String second = b.login(username, Client.PASSWORD).then().statusCode(200).extract().path("access_token");
        b.bearer(second).post("/auth/logout-all").then().statusCode(204);
        awaitStatus(() -> a.greeting(first).statusCode(), 401, ClusterIT.PROPAGATION);
        awaitStatus(() -> a.greeting(second).statusCode(), 401, ClusterIT.PROPAGATION);

        // every revocation key and the stream share the slot of the tag, so one master holds them all
        ScratchRedis holder = redis.masterOf(RevocationKeys.STREAM);
        for (ScratchRedis master : redis.masters()) {
            List<String> keys = RedisClusterSet.keys(master, "auth:" + RevocationKeys.TAG + ":*");
            assertEquals(master == holder, !keys.isEmpty(), master.url() + " holds " + keys);
        }
    }

    @Test
    @Order(3)
    void failedLoginsAreCountedAcrossNodesAndSpreadOverTheMasters() {
        String username = randomUsername();
        a.register(username).then().statusCode(201);
        for (int i = 0; i < MAX_FAILURES; i++) {
            (i % 2 == 0 ? a : b).login(username, "wrong password " + i).then().statusCode(401);
        }
        b.login(username, Client.PASSWORD).then().statusCode(429).header("Retry-After", notNullValue());
        a.login(username, Client.PASSWORD).then().statusCode(429);

        // a concurrent burst on both nodes gets no more password checks than the limit
        String burst = randomUsername();
        List<Callable<Response>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Client node = i % 2 == 0 ? a : b;
            attempts.add(() -> node.login(burst, "wrong password"));
        }
        List<Response> answers = Concurrent.all(attempts);
        long checked = Concurrent.countStatus(answers, 401);
        assertTrue(checked <= MAX_FAILURES && checked >= 1, checked + " password checks of 20");
        assertEquals(20, checked + Concurrent.countStatus(answers, 429));

        for (int i = 0; i < 12; i++) {
            a.login(randomUsername(), "wrong password").then().statusCode(401);
        }
        long holding = redis.masters().stream()
                .filter(master -> !RedisClusterSet.keys(master, "auth:login-failures:user:*").isEmpty()).count();
        System.out.printf("RedisClusterIT: login failure counters on %d of %d masters%n", holding,
                redis.masters().size());
        assertTrue(holding >= 2, "the counters of different users on more than one master");
    }

    @Test
    @Order(4)
    void aRotationOnOneNodeIsHonouredByTheOther() {
        ClusterIT.assertRotationsHonouredByTheOtherNode(a, b, b);
    }

    @Test
    @Order(5)
    void noCommandWasRefusedForItsSlot() {
        ClusterIT.sleep(Duration.ofSeconds(2)); // a few more once-a-second checks of the revocation slot's server
        for (ScratchRedis master : redis.masters()) {
            List<String> errors = RedisClusterSet.errors(master);
            assertTrue(errors.stream().noneMatch(line -> line.matches("errorstat_(MOVED|ASK|CROSSSLOT):.*")),
                    master.url() + " answered " + errors);
        }
        for (ServiceProcess node : List.of(nodeA, nodeB)) {
            String log = node.log();
            for (String error : List.of("CROSSSLOT", "MOVED", "ASK ", "ERROR", "Exception")) {
                assertTrue(!log.contains(error), node.baseUri() + " logged " + error + ":\n" + log);
            }
        }
    }

    private static String randomUsername() {
        return "rc-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
