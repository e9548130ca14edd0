package dev.tokenservice.cluster;

import static dev.tokenservice.cluster.ClusterIT.awaitStatus;
import static dev.tokenservice.cluster.ClusterIT.sleep;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
