package dev.tokenservice.cluster;

import static dev.tokenservice.cluster.ClusterIT.awaitStatus;
import static dev.tokenservice.cluster.ClusterIT.sleep;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenservice.TokenParts;
import dev.tokenservice.revocation.RevocationKeys;
import io.restassured.response.Response;

/** Faults under load through the balancer: Redis stopped, PostgreSQL stopped, a node killed. */
class FaultIT {

    static ClusterEnvironment env;
    static Client a;
    static Client b;
    static Client balancer;

    @BeforeAll
    static void startCluster() {
        env = ClusterEnvironment.start("faults", 15434, 16401, 19080);
        a = env.a;
        b = env.b;
        balancer = env.balancer;
    }

    @AfterAll
    static void stopCluster() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void redisOutageFailsClosedAndRecoversWithoutRestart() {
        String valid = balancer.newSession().path("access_token");
        String revoked = balancer.newSession().path("access_token");
        a.bearer(revoked).post("/auth/logout").then().statusCode(204);
        awaitStatus(() -> b.greeting(revoked).statusCode(), 401, ClusterIT.PROPAGATION);

        try (Load load = new Load(env.cluster.balancer(), valid, revoked, 4)) {
            sleep(Duration.ofMillis(500));
            env.redis.stop();
            // each node answers from its mirror until auth.revocation.max-staleness (2 s) has passed
            awaitStatus(() -> a.greeting(valid).statusCode(), 503, Duration.ofSeconds(5));
            awaitStatus(() -> b.greeting(valid).statusCode(), 503, Duration.ofSeconds(5));
            problem(a.greeting(valid), 503);
            awaitStatus(() -> a.plain().get("/q/health/ready").statusCode(), 503, Duration.ofSeconds(3));
            awaitStatus(() -> b.plain().get("/q/health/ready").statusCode(), 503, Duration.ofSeconds(3));
            problem(balancer.greeting(valid), 503);
            sleep(Duration.ofSeconds(1));
            assertTrue(load.count("valid", "503") > 0, load.snapshot().toString());

            env.redis.start();
            Instant restarted = Instant.now();
            awaitStatus(() -> a.greeting(valid).statusCode(), 200, Duration.ofSeconds(5));
            awaitStatus(() -> b.greeting(valid).statusCode(), 200, Duration.ofSeconds(5));
            awaitStatus(() -> balancer.greeting(valid).statusCode(), 200, Duration.ofSeconds(5));
            System.out.printf("Redis outage: nodes recovered %d ms after restart; load %s%n",
                    Duration.between(restarted, Instant.now()).toMillis(), load.snapshot());
            load.stop();
            assertNoLeaks(load.snapshot());
        }
        a.greeting(revoked).then().statusCode(401);
        b.greeting(revoked).then().statusCode(401);
    }

    @Test
    void postgresOutageStopsLoginButNotValidTokens() {
        Response session = balancer.newSession();
        String valid = session.path("access_token");
        String revoked = balancer.newSession().path("access_token");
        b.bearer(revoked).post("/auth/logout").then().statusCode(204);
        awaitStatus(() -> a.greeting(revoked).statusCode(), 401, ClusterIT.PROPAGATION);

        try (Load load = new Load(env.cluster.balancer(), valid, revoked, 4)) {
            env.postgres.stop();
            try {
                problem(balancer.register("cluster-pg-" + System.nanoTime()), 503);
                problem(balancer.login(LocalCluster.ADMIN_USERNAME, LocalCluster.ADMIN_PASSWORD), 503);
                problem(balancer.refresh(session.path("refresh_token")), 503);
                a.greeting(valid).then().statusCode(200);
                b.greeting(valid).then().statusCode(200);
                balancer.greeting(valid).then().statusCode(200);
                balancer.greeting(revoked).then().statusCode(401);
            } finally {
                env.postgres.start();
            }
            Instant restarted = Instant.now();
            awaitStatus(() -> balancer.login(LocalCluster.ADMIN_USERNAME, LocalCluster.ADMIN_PASSWORD).statusCode(),
                    200, Duration.ofSeconds(15));
            System.out.printf("PostgreSQL outage: login recovered %d ms after restart; load %s%n",
                    Duration.between(restarted, Instant.now()).toMillis(), load.snapshot());
            load.stop();
            assertNoLeaks(load.snapshot());
            assertEquals(0, load.count("valid", "503"), load.snapshot().toString());
        }
        balancer.refresh(session.path("refresh_token")).then().statusCode(200);
    }

    @Test
    void postgresDyingUnderLoginsAndRefreshesAnswers503NeverA500() throws Exception {
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String username = "cluster-burst-" + UUID.randomUUID().toString().substring(0, 8);
            balancer.register(username).then().statusCode(201);
            usernames.add(username);
        }
        Map<String, Integer> seen = new ConcurrentSkipListMap<>();
        for (int burst = 0; burst < 3; burst++) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < usernames.size(); i++) {
                Client node = i % 2 == 0 ? a : b;
                String username = usernames.get(i);
                Thread client = new Thread(() -> loginsAndRefreshes(node, username, running, seen));
                client.start();
                clients.add(client);
            }
            sleep(Duration.ofMillis(700));
            env.postgres.stop();
            sleep(Duration.ofMillis(1500));
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
            env.postgres.start();
            awaitStatus(() -> a.login(usernames.get(0), Client.PASSWORD).statusCode(), 200, Duration.ofSeconds(15));
            awaitStatus(() -> b.login(usernames.get(1), Client.PASSWORD).statusCode(), 200, Duration.ofSeconds(15));
        }
        System.out.printf("PostgreSQL killed under logins and refreshes, 3 bursts: %s%n", seen);
        assertTrue(seen.keySet().stream().allMatch(key -> key.endsWith(":200") || key.endsWith(":503")), seen.toString());
        assertTrue(seen.getOrDefault("login:503", 0) + seen.getOrDefault("refresh:503", 0) > 0, seen.toString());
    }

    /** Logs in, then refreshes along the chain, retrying a 503 with the same token, until told to stop. */
    private static void loginsAndRefreshes(Client node, String username, AtomicBoolean running, Map<String, Integer> seen) {
        String refreshToken = null;
        while (running.get()) {
            Response response = refreshToken == null ? node.login(username, Client.PASSWORD) : node.refresh(refreshToken);
            String kind = refreshToken == null ? "login" : "refresh";
            int status = response.statusCode();
            boolean problem = status < 400 || response.contentType().startsWith("application/problem+json");
            seen.merge(kind + ":" + status + (problem ? "" : "-not-problem"), 1, Integer::sum);
            if (status == 200) {
                refreshToken = response.path("refresh_token");
            } else if (status != 503) {
                refreshToken = null;
            }
        }
    }

    @Test
    void aFlushedRedisResurrectsNoRevokedSessionOnARunningOrARestartedNode() {
        String valid = balancer.newSession().path("access_token");
        String revoked = balancer.newSession().path("access_token");
        a.bearer(revoked).post("/auth/logout").then().statusCode(204);
        awaitStatus(() -> b.greeting(revoked).statusCode(), 401, ClusterIT.PROPAGATION);
        String key = RevocationKeys.session(UUID.fromString(TokenParts.claims(revoked).getString("sid")));

        env.cluster.kill(2);
        try {
            env.redis.cli("FLUSHALL");
            Instant flushed = Instant.now();
            while (!"1".equals(env.redis.cli("EXISTS", key))) {
                int status = a.greeting(revoked).statusCode();
                assertTrue(status == 401 || status == 503, "the revoked token answered " + status);
                assertTrue(Duration.between(flushed, Instant.now()).toSeconds() < 15, "not restored in time");
                sleep(Duration.ofMillis(20));
            }
            System.out.printf("Redis flushed: the revoked session was back in Redis %d ms later%n",
                    Duration.between(flushed, Instant.now()).toMillis());
        } finally {
            env.cluster.start(2);
        }
        // node 2 started after the flush, with an empty mirror: it knows the revocation only from Redis
        b.greeting(revoked).then().statusCode(401);
        a.greeting(revoked).then().statusCode(401);
        awaitStatus(() -> b.greeting(valid).statusCode(), 200, Duration.ofSeconds(5));
    }

    @Test
    void aKilledNodeLosesNoRevocation() {
        String valid = balancer.newSession().path("access_token");
        String revoked = balancer.newSession().path("access_token");
        a.bearer(revoked).post("/auth/logout").then().statusCode(204);
        awaitStatus(() -> b.greeting(revoked).statusCode(), 401, ClusterIT.PROPAGATION);

        try (Load load = new Load(env.cluster.balancer(), valid, revoked, 4)) {
            sleep(Duration.ofMillis(500));
            env.cluster.kill(1);
            sleep(Duration.ofSeconds(2));
            Map<String, Integer> duringFailover = load.snapshot();
            System.out.printf("Node killed: load during fail-over %s%n", duringFailover);
            assertNoLeaks(duringFailover);
            load.reset();
            for (int i = 0; i < 20; i++) {
                balancer.greeting(valid).then().statusCode(200);
                balancer.greeting(revoked).then().statusCode(401);
            }
            sleep(Duration.ofSeconds(1));
            load.stop();
            Map<String, Integer> afterFailover = load.snapshot();
            System.out.printf("Node killed: load after fail-over %s%n", afterFailover);
            assertNoLeaks(afterFailover);
            assertEquals(afterFailover.getOrDefault("valid:200", 0) + afterFailover.getOrDefault("revoked:401", 0),
                    afterFailover.values().stream().mapToInt(Integer::intValue).sum(), afterFailover.toString());
        } finally {
            env.cluster.start(1);
        }
        a.greeting(revoked).then().statusCode(401);
        a.greeting(valid).then().statusCode(200);
    }

    /** No revoked token accepted, no 500, every error a problem document. */
    private static void assertNoLeaks(Map<String, Integer> counts) {
        assertEquals(0, counts.getOrDefault("revoked:200", 0), counts.toString());
        counts.keySet().forEach(key -> {
            assertTrue(!key.endsWith(":500") && !key.endsWith("-not-problem"), counts.toString());
        });
    }

    private static void problem(Response response, int status) {
        response.then().statusCode(status).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status));
    }
}
