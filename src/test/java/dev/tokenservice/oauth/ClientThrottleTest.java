package dev.tokenservice.oauth;

import static dev.tokenservice.Api.asClient;
import static dev.tokenservice.Api.randomAddress;
import static dev.tokenservice.oauth.OAuthErrors.assertInvalidClient;
import static dev.tokenservice.oauth.OAuthErrors.assertOAuthError;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.ClientFailures;
import dev.tokenservice.Concurrent;
import dev.tokenservice.SmallThrottleLimits;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Failed client authentications at the OAuth endpoints are throttled like logins (3 per id, 6 per address). */
@QuarkusTest
@TestProfile(SmallThrottleLimits.class)
class ClientThrottleTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void forgetClientFailures() {
        ClientFailures.forget(redis);
    }

    @Test
    void aConcurrentBurstOfGuessesGetsNoMoreSecretChecksThanTheLimit() {
        String id = "client-" + UUID.randomUUID();
        List<Response> burst = Concurrent.all(30, () -> token(id, "guess", randomAddress()));
        long checked = Concurrent.countStatus(burst, 401);
        long refused = Concurrent.countStatus(burst, 429);
        System.out.printf("30 concurrent guesses of one client's secret at /oauth/token: %d checked (401), "
                + "%d refused (429)%n", checked, refused);
        assertTrue(checked <= 3, checked + " secret checks for a limit of 3");
        assertEquals(30, checked + refused);
        burst.stream().filter(response -> response.statusCode() == 401).forEach(OAuthErrors::assertInvalidClient);
        burst.stream().filter(response -> response.statusCode() == 429)
                .forEach(response -> assertOAuthError(response, 429, "invalid_client")
                        .header("Retry-After", matchesPattern("\\d+")));
    }

    @Test
    void anAddressThatGuessedIsRefusedEvenTheRightSecret() {
        String address = randomAddress();
        for (int i = 0; i < 6; i++) {
            assertInvalidClient(token("client-" + UUID.randomUUID(), "guess", address));
        }
        assertOAuthError(token("orders-worker", "orders-worker-secret", address), 429, "invalid_client");
        assertOAuthError(introspect("gateway", "gateway-secret", address), 429, "invalid_client");
        token("orders-worker", "orders-worker-secret", randomAddress()).then().statusCode(200);
        introspect("gateway", "gateway-secret", randomAddress()).then().statusCode(200);
    }

    private static Response token(String id, String secret, String address) {
        return asClient(id, secret).header("X-Forwarded-For", address).formParam("grant_type", "client_credentials")
                .post("/oauth/token");
    }

    private static Response introspect(String id, String secret, String address) {
        return asClient(id, secret).header("X-Forwarded-For", address).formParam("token", "x")
                .post("/oauth/introspect");
    }
}
