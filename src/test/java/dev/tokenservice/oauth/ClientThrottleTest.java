package dev.tokenservice.oauth;

import static dev.tokenservice.Api.asClient;
import static dev.tokenservice.Api.basic;
import static dev.tokenservice.Api.randomAddress;
import static dev.tokenservice.oauth.OAuthErrors.assertInvalidClient;
import static dev.tokenservice.oauth.OAuthErrors.assertOAuthError;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.ClientFailures;
import dev.tokenservice.Concurrent;
import dev.tokenservice.SmallThrottleLimits;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Failed client authentications at the OAuth endpoints are throttled per address (6) and per client id from an
 * address (3); guesses never lock out the right secret from elsewhere, and a burst of right secrets is never refused.
 */
@QuarkusTest
@TestProfile(SmallThrottleLimits.class)
class ClientThrottleTest {

    @Inject
    RedisDataSource redis;

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @BeforeEach
    void forgetClientFailures() {
        ClientFailures.forget(redis);
    }

    @Test
    void aConcurrentBurstOfGuessesFromOneAddressGetsNoMoreSecretChecksThanTheLimit() {
        String address = randomAddress();
        List<Response> burst = Concurrent.all(30, () -> token("orders-worker", "guess", address));
        long checked = Concurrent.countStatus(burst, 401);
        long refused = Concurrent.countStatus(burst, 429);
        System.out.printf("30 concurrent guesses of one client's secret at /oauth/token: %d checked (401), "
                + "%d refused (429)%n", checked, refused);
        assertEquals(3, checked);
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
            assertInvalidClient(token(UUID.randomUUID().toString().substring(0, 8), "guess", address));
        }
        assertOAuthError(token("orders-worker", "orders-worker-secret", address), 429, "invalid_client");
        assertOAuthError(introspect("gateway", "gateway-secret", address), 429, "invalid_client");
        token("orders-worker", "orders-worker-secret", randomAddress()).then().statusCode(200);
        introspect("gateway", "gateway-secret", randomAddress()).then().statusCode(200);
    }

    @Test
    void guessesAtAClientFromOneAddressDoNotLockItOutElsewhere() throws Exception {
        String guesser = randomAddress();
        for (int i = 0; i < 6; i++) {
            Response guess = token("orders-worker", "wrong-" + i, guesser);
            assertEquals(i < 3 ? 401 : 429, guess.statusCode(), "guess " + (i + 1));
        }
        String gateway = randomAddress();
        token("orders-worker", "orders-worker-secret", gateway).then().statusCode(200);
        introspect("orders-worker", "orders-worker-secret", gateway).then().statusCode(200);
        assertEquals(200, feedStatus("orders-worker", "orders-worker-secret", gateway));
        assertOAuthError(token("orders-worker", "orders-worker-secret", guesser), 429, "invalid_client");
    }

    @Test
    void fiftyConcurrentIntrospectionsWithTheRightSecretAllSucceed() {
        // a machine client's token: the profile's small login limits may hold 127.0.0.1 locked by other tests
        String token = token("orders-worker", "orders-worker-secret", randomAddress()).then().statusCode(200)
                .extract().path("access_token");
        String gateway = randomAddress();
        List<Response> fresh = Concurrent.all(50, () -> introspectToken("gateway", "gateway-secret", gateway, token));
        assertInvalidClient(introspect("gateway", "wrong", randomAddress()));
        List<Response> afterGuess = Concurrent.all(50, () -> introspectToken("gateway", "gateway-secret",
                randomAddress(), token));
        System.out.printf("50 concurrent introspections with the right secret: %d x 200 from one address, then "
                + "%d x 200 from 50 addresses after a wrong secret elsewhere%n", Concurrent.countStatus(fresh, 200),
                Concurrent.countStatus(afterGuess, 200));
        assertEquals(50, Concurrent.countStatus(fresh, 200));
        assertEquals(50, Concurrent.countStatus(afterGuess, 200));
        fresh.forEach(response -> response.then().body("active", is(true)));
    }

    private int feedStatus(String id, String secret, String address) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(feed).header("Authorization", basic(id, secret))
                .header("X-Forwarded-For", address).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    private static Response token(String id, String secret, String address) {
        return asClient(id, secret).header("X-Forwarded-For", address).formParam("grant_type", "client_credentials")
                .post("/oauth/token");
    }

    private static Response introspect(String id, String secret, String address) {
        return introspectToken(id, secret, address, "x");
    }

    private static Response introspectToken(String id, String secret, String address, String token) {
        return asClient(id, secret).header("X-Forwarded-For", address).formParam("token", token)
                .post("/oauth/introspect");
    }
}
