package dev.tokenservice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenservice.TokenParts;
import dev.tokenservice.feed.FeedKeyRetirementTest;
import dev.tokenservice.feed.FeedStream;
import dev.tokenservice.feed.FeedStream.Block;

/**
 * Two nodes on one PostgreSQL and Redis: a consumer that cached one node's JWKS knows the key of a rotation made on
 * the other, and every node serves the same revocation feed, with the same event ids, from its own mirror.
 */
class FeedClusterIT {

    private static final String CLIENT_OPTIONS = "-Xmx256m -Dauth.clients.gateway.type=confidential"
            + " -Dauth.clients.gateway.secret-sha256=1e0baae50a6e2006d894f9e64c53a1317e6032f4ba67df08199d5378c5948ce6"
            + " -Dauth.clients.gateway.grant-types=client_credentials -Dauth.clients.gateway.audiences=token-service";

    static ClusterEnvironment env;
    static Client a;
    static Client b;

    @BeforeAll
    static void startCluster() {
        env = ClusterEnvironment.start("feed", 18606, 18607, 18600, Map.of("JAVA_OPTS", CLIENT_OPTIONS));
        a = env.a;
        b = env.b;
    }

    @AfterAll
    static void stopCluster() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aRotationOnAUsesAKeyThatBsJwksAlreadyPublished() {
        List<String> cachedFromB = kids(b);
        String admin = adminToken(a);

        String kid = a.bearer(admin).post("/admin/keys/rotate").then().statusCode(201).extract().path("kid");

        assertTrue(cachedFromB.contains(kid), "B published " + kid + " before it signed: " + cachedFromB);
        String token = a.newSession().path("access_token");
        assertEquals(kid, TokenParts.header(token).getString("kid"));
        b.greeting(token).then().statusCode(200);
        List<String> fromA = kids(a);
        awaitTrue(() -> kids(b).containsAll(fromA), "B publishes the new next key too");
    }

    @Test
    void aLogoutOnAReachesAConsumerOfBAndTheConsumerResumesOnA() throws Exception {
        String lastSeen;
        try (FeedStream fromB = FeedStream.openAtSnapshot(feed(b))) {
            logout(a.newSession().path("access_token"));
            assertEquals("revocation", fromB.nextEvent().event());
            lastSeen = fromB.nextEvent().id();
        }
        String missed = a.newSession().path("access_token");
        logout(missed);

        try (FeedStream fromA = FeedStream.open(feed(a), lastSeen)) {
            assertEquals("1000", fromA.next().retry());
            Block first = fromA.nextEvent();
            assertEquals("revocation", first.event(), "A holds B's ids: only the missed events");
            assertEquals(TokenParts.claims(missed).getString("jti"), first.json().getString("jti"));
        }
    }

    @Test
    void aKeyRetiredOnAReachesAConsumerOfB() throws Exception {
        String admin = adminToken(a);
        String oldKid = TokenParts.header(admin).getString("kid");
        try (FeedStream fromB = FeedStream.openAtSnapshot(feed(b))) {
            a.bearer(admin).post("/admin/keys/rotate?retire=now").then().statusCode(201);

            assertEquals(oldKid, FeedKeyRetirementTest.nextKeyEvent(fromB, oldKid).json().getString("kid"));
        }
    }

    private static void logout(String accessToken) {
        a.bearer(accessToken).post("/auth/logout").then().statusCode(204);
    }

    private static String adminToken(Client client) {
        return client.login(LocalCluster.ADMIN_USERNAME, LocalCluster.ADMIN_PASSWORD).then().statusCode(200)
                .extract().path("access_token");
    }

    private static List<String> kids(Client client) {
        return client.plain().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys.kid");
    }

    private static URI feed(Client client) {
        return URI.create(client.baseUri() + "/oauth/revocations");
    }

    private static void awaitTrue(BooleanSupplier condition, String message) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), message);
            ClusterIT.sleep(Duration.ofMillis(50));
        }
    }
}
