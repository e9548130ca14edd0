package dev.tokenservice.cluster;

import dev.tokenservice.revocation.RevocationKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node A reaches Redis through a proxy that cuts or stalls its link alone; node B reaches Redis directly.
 * Whatever B revokes or retires while A is away is enforced by A before A serves a token again.
 */
class PartitionIT {

    private static final int REDIS_PORT = 16404;
    private static final int PROXY_PORT = 16405;
    private static final int FILLER = 20_000;

    static ScratchPostgres postgres;
    static ScratchRedis redis;
    static LinkProxy proxy;
    static LocalCluster cluster;
    static Client a;
    static Client b;

    @BeforeAll
    static void start() {
        postgres = new ScratchPostgres(15437);
        postgres.start();
        redis = new ScratchRedis(REDIS_PORT, false);
        redis.start();
        proxy = new LinkProxy(PROXY_PORT, REDIS_PORT);
        cluster = new LocalCluster("partition", 2, 19380, postgres.jdbcUrl(), redis.url())
                .nodeOptions(1, "-Dquarkus.redis.hosts=" + proxy.url());
        cluster.up();
        a = new Client(cluster.node(1));
        b = new Client(cluster.node(2));
    }

    @AfterAll
    static void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            redis.stop();
            postgres.stop();
        }
    }

    @BeforeEach
    void nodeAIsReady() {
        ClusterIT.awaitStatus(() -> a.plain().get("/q/health/ready").statusCode(), 200, Duration.ofSeconds(15));
    }

    @Test
    void aLogoutMadeWhileANodeWasCutOffIsEnforcedBeforeThatNodeServesAgain() {
        String valid = b.newSession().path("access_token");
        String revoked = b.newSession().path("access_token");
        a.greeting(revoked).then().statusCode(200);
        addRevocations(FILLER);

        proxy.cut();
        ClusterIT.awaitStatus(() -> a.greeting(valid).statusCode(), 503, Duration.ofSeconds(5));
        addRevocations(FILLER);
        b.bearer(revoked).post("/auth/logout").then().statusCode(204);
        proxy.restore();
        Instant restored = Instant.now();

        Map<String, Integer> seen = new TreeMap<>();
        Instant firstRefusal = null;
        while (Duration.between(restored, Instant.now()).toMillis() < 5000) {
            int status = a.greeting(revoked).statusCode();
            seen.merge("revoked:" + status, 1, Integer::sum);
            if (status == 401 && firstRefusal == null) {
                firstRefusal = Instant.now();
            }
            if (firstRefusal != null && Duration.between(firstRefusal, Instant.now()).toMillis() > 1000) {
                break;
            }
        }
        System.out.printf("cut for a logout on B with %d live revocations: after restore A answered %s; "
                + "401 from %d ms%n", 2 * FILLER, seen,
                firstRefusal == null ? -1 : Duration.between(restored, firstRefusal).toMillis());
        assertEquals(0, seen.getOrDefault("revoked:200", 0), "the revoked token was accepted: " + seen);
        assertTrue(firstRefusal != null, "A never caught up: " + seen);
        ClusterIT.awaitStatus(() -> a.greeting(valid).statusCode(), 200, Duration.ofSeconds(5));
    }

    @Test
    void aKeyRetiredWhileANodeWasCutOffIsRefusedBeforeThatNodeServesAgain() {
        String admin = b.login(LocalCluster.ADMIN_USERNAME, LocalCluster.ADMIN_PASSWORD).then().statusCode(200)
                .extract().path("access_token");
        String oldKeyToken = b.newSession().path("access_token");
        a.greeting(oldKeyToken).then().statusCode(200);

        proxy.cut();
        ClusterIT.awaitStatus(() -> a.greeting(oldKeyToken).statusCode(), 503, Duration.ofSeconds(5));
        b.bearer(admin).post("/admin/keys/rotate?retire=now").then().statusCode(201);
        proxy.restore();
        Instant restored = Instant.now();

        Map<String, Integer> seen = new TreeMap<>();
        while (Duration.between(restored, Instant.now()).toMillis() < 3000) {
            seen.merge("old-key:" + a.greeting(oldKeyToken).statusCode(), 1, Integer::sum);
        }
        System.out.printf("retire=now on B while A was cut off: after restore A answered %s%n", seen);
        assertEquals(0, seen.getOrDefault("old-key:200", 0), "a retired key's token was accepted: " + seen);
        assertTrue(seen.getOrDefault("old-key:401", 0) > 0, seen.toString());
        a.greeting(b.newSession().path("access_token")).then().statusCode(200);
    }

    @Test
    void aStalledLinkTurnsReadinessDownWithoutHangingIt() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(cluster.node(1) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3)).build();
        proxy.stall();
        Instant stalled = Instant.now();
        long slowest = 0;
        Instant down = null;
        try {
            while (Duration.between(stalled, Instant.now()).toMillis() < 6000) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = http.send(ready, HttpResponse.BodyHandlers.ofString());
                slowest = Math.max(slowest, Duration.ofNanos(System.nanoTime() - sent).toMillis());
                if (answer.statusCode() == 503 && down == null) {
                    down = Instant.now();
                }
                Thread.sleep(100);
            }
        } finally {
            proxy.restore();
        }
        System.out.printf("stalled Redis link: readiness DOWN after %d ms; slowest readiness answer %d ms%n",
                down == null ? -1 : Duration.between(stalled, down).toMillis(), slowest);
        assertTrue(down != null && Duration.between(stalled, down).toMillis() < 4000, "readiness did not go DOWN");
        // a probe that waited on the stalled connection would take the Redis timeout (2 s) or longer; a loaded
        // machine alone can delay an immediate answer by a second
        assertTrue(slowest < 2000, "readiness took " + slowest + " ms to answer: it waited on the stalled link");
    }

    /** Session revocations of other users, written as any node writes them, straight into Redis. */
    private static void addRevocations(int count) {
        long until = Instant.now().plusSeconds(900).getEpochSecond();
        StringBuilder commands = new StringBuilder();
        for (int i = 0; i < count; i++) {
            commands.append("XADD ").append(RevocationKeys.STREAM).append(" * kind session id ")
                    .append(UUID.randomUUID()).append(" until ").append(until).append(" before 0\n");
        }
        try {
            Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(REDIS_PORT))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            try (OutputStream in = cli.getOutputStream()) {
                in.write(commands.toString().getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS) && cli.exitValue() == 0, "redis-cli failed");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
