package dev.tokenservice.cluster;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenservice.TokenParts;

import io.restassured.response.Response;

/**
 * Two nodes behind HAProxy, started together on an empty PostgreSQL and their own Redis: every node
 * honours what any node issued or revoked.
 */
class ClusterIT {

    /** Revocations reach other nodes through the stream tail: milliseconds; the bound only keeps a failure short. */
    static final Duration PROPAGATION = Duration.ofSeconds(2);

    static ClusterEnvironment env;
    static Client a;
    static Client b;
    static Client balancer;

    @BeforeAll
    static void startCluster() {
        env = ClusterEnvironment.start("it", 15433, 16400, 18080);
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
    void nodesStartedTogetherOnAnEmptyDatabasePublishTheSameKeys() {
        String fromA = a.plain().get("/.well-known/jwks.json").then().statusCode(200).body("keys", hasSize(2))
                .extract().asString();
        String fromB = b.plain().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        assertEquals(fromA, fromB);
    }

    @Test
    void aTokenIssuedByAWorksOnB() {
        Response session = a.newSession();
        b.greeting(session.path("access_token")).then().statusCode(200);
        balancer.greeting(session.path("access_token")).then().statusCode(200);
    }

    @Test
    void logoutOnAIsRefusedOnB() {
        String token = a.newSession().path("access_token");
        b.greeting(token).then().statusCode(200);
        a.bearer(token).post("/auth/logout").then().statusCode(204);
        awaitStatus(() -> b.greeting(token).statusCode(), 401, PROPAGATION);
    }

    @Test
    void logoutAllOnBIsRefusedOnA() {
        String username = "cluster-" + UUID.randomUUID().toString().substring(0, 12);
        a.register(username).then().statusCode(201);
        String first = a.login(username, Client.PASSWORD).then().statusCode(200).extract().path("access_token");
        String second = b.login(username, Client.PASSWORD).then().statusCode(200).extract().path("access_token");
        b.bearer(second).post("/auth/logout-all").then().statusCode(204);
        awaitStatus(() -> a.greeting(first).statusCode(), 401, PROPAGATION);
        awaitStatus(() -> a.greeting(second).statusCode(), 401, PROPAGATION);
    }

    @Test
    void reuseOnBOfATokenRefreshedOnARevokesTheSession() {
        Response session = a.newSession();
        String original = session.path("refresh_token");
        Response rotated = a.refresh(original).then().statusCode(200).extract().response();
        a.refresh(rotated.path("refresh_token")).then().statusCode(200);

        b.refresh(original).then().statusCode(401);

        awaitStatus(() -> a.greeting(rotated.path("access_token")).statusCode(), 401, PROPAGATION);
        b.greeting(session.path("access_token")).then().statusCode(401);
    }

    @Test
    void rotationOnAIsHonouredByB() {
        String admin = a.login(LocalCluster.ADMIN_USERNAME, LocalCluster.ADMIN_PASSWORD).then().statusCode(200)
                .extract().path("access_token");
        String oldToken = a.newSession().path("access_token");

        String kid = a.bearer(admin).post("/admin/keys/rotate").then().statusCode(201).extract().path("kid");
        String newToken = a.newSession().path("access_token");
        assertEquals(kid, TokenParts.header(newToken).getString("kid"));
        b.greeting(newToken).then().statusCode(200);
        b.greeting(oldToken).then().statusCode(200);

        String admin2 = b.login(LocalCluster.ADMIN_USERNAME, LocalCluster.ADMIN_PASSWORD).then().statusCode(200)
                .extract().path("access_token");
        String emergencyKid = b.bearer(admin2).post("/admin/keys/rotate?retire=now").then().statusCode(201)
                .extract().path("kid");
        awaitStatus(() -> a.greeting(newToken).statusCode(), 401, Duration.ofSeconds(2));
        a.plain().get("/.well-known/jwks.json").then().body("keys", hasSize(2)).body("keys.kid", hasItem(emergencyKid))
                .body("keys.kid", not(hasItem(kid)));
        String afterEmergency = balancer.newSession().path("access_token");
        a.greeting(afterEmergency).then().statusCode(200);
        b.greeting(afterEmergency).then().statusCode(200);
    }

    static void awaitStatus(IntSupplier status, int expected, Duration within) {
        Instant deadline = Instant.now().plus(within);
        int last = status.getAsInt();
        while (last != expected && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(20));
            last = status.getAsInt();
        }
        assertEquals(expected, last);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
