package dev.tokenservice.oauth;

import static dev.tokenservice.Api.asClient;
import static dev.tokenservice.Api.basic;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.clientToken;
import static dev.tokenservice.Api.introspect;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Problems.assertProblem;
import static dev.tokenservice.oauth.OAuthErrors.assertInvalidClient;
import static dev.tokenservice.oauth.OAuthErrors.assertOAuthError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** {@code POST /oauth/introspect} (RFC 7662): active tokens with their claims, everything else inactive alike. */
@QuarkusTest
class IntrospectionTest {

    @Inject
    AdjustableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aUsersTokenIsActiveWithItsClaims() {
        Tokens tokens = newSession();
        JsonPath claims = TokenParts.claims(tokens.accessToken());
        Response answer = introspect("gateway", tokens.accessToken());
        answer.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("token_type", equalTo("Bearer"))
                .body("username", equalTo(tokens.username()))
                .body("client_id", equalTo("web"))
                .body("aud", equalTo("token-service"));
        for (String claim : List.of("iss", "sub", "jti")) {
            assertEquals(claims.getString(claim), answer.path(claim), claim);
        }
        for (String claim : List.of("iat", "exp")) {
            assertEquals(claims.getLong(claim), ((Number) answer.path(claim)).longValue(), claim);
        }
    }

    @Test
    void aMachineTokenForAnotherAudienceIsActiveWithItsScope() {
        String token = clientToken("orders-worker").path("access_token");
        introspect("gateway", token).then().statusCode(200)
                .body("active", equalTo(true))
                .body("sub", equalTo("orders-worker"))
                .body("client_id", equalTo("orders-worker"))
                .body("aud", equalTo("orders-api"))
                .body("scope", equalTo("orders:read orders:write"))
                .body("username", equalTo(null));
    }

    @Test
    void revokedTokensAreInactive() {
        Tokens loggedOut = newSession();
        introspect("gateway", loggedOut.accessToken()).then().body("active", equalTo(true));
        bearer(loggedOut.accessToken()).post("/auth/logout").then().statusCode(204);
        assertInactive(introspect("gateway", loggedOut.accessToken()));

        String machine = clientToken("orders-worker").path("access_token");
        given().contentType(ContentType.JSON).body(Map.of("token", machine)).post("/auth/revoke").then().statusCode(200);
        assertInactive(introspect("gateway", machine));

        Tokens everywhere = newSession();
        bearer(everywhere.accessToken()).post("/auth/logout-all").then().statusCode(204);
        assertInactive(introspect("gateway", everywhere.accessToken()));
    }

    @Test
    void anExpiredTokenIsInactive() {
        Tokens tokens = newSession();
        introspect("gateway", tokens.accessToken()).then().body("active", equalTo(true));
        clock.advance(Duration.ofMinutes(16));
        assertInactive(introspect("gateway", tokens.accessToken()));
    }

    @Test
    void malformedForeignAndRefreshTokensAreInactive() {
        Tokens tokens = newSession();
        String access = tokens.accessToken();
        String[] parts = access.split("\\.");
        List<String> tokensToTry = List.of("garbage", "a.b.c", tokens.refreshToken(), access + "x",
                parts[0] + "." + parts[1] + ".", parts[0] + "." + parts[1].substring(1) + "." + parts[2],
                "x".repeat(20_000));
        for (String token : tokensToTry) {
            assertInactive(introspect("gateway", token));
        }
    }

    @Test
    void aBadClientGets401AndLearnsNothing() {
        String token = newSession().accessToken();
        assertInvalidClient(asClient("gateway", "wrong").formParam("token", token).post("/oauth/introspect"));
        assertInvalidClient(asClient("web", "").formParam("token", token).post("/oauth/introspect"));
        assertInvalidClient(given().contentType(ContentType.URLENC).formParam("token", token).post("/oauth/introspect"));
        assertInvalidClient(bearer(token).contentType(ContentType.URLENC).formParam("token", token)
                .post("/oauth/introspect"));
    }

    @Test
    void aRequestWithoutOneTokenIsInvalid() {
        assertOAuthError(asClient("gateway", "gateway-secret").formParam("token_type_hint", "access_token")
                .post("/oauth/introspect"), 400, "invalid_request");
        assertOAuthError(asClient("gateway", "gateway-secret").formParam("token", "a").formParam("token", "b")
                .post("/oauth/introspect"), 400, "invalid_request");
        assertOAuthError(given().header("Authorization", basic("gateway", "gateway-secret"))
                .contentType(ContentType.JSON).body(Map.of("token", "a")).post("/oauth/introspect"), 400,
                "invalid_request");
    }

    @Test
    void aMalformedFormIsAnInvalidRequestNotAServerError() {
        for (String body : List.of("token=%zz", "token=%", "=&&=x&token=", "%zz=1&token=x")) {
            assertOAuthError(asClient("gateway", "gateway-secret").body(body).post("/oauth/introspect"), 400,
                    "invalid_request");
            assertOAuthError(asClient("orders-worker", "orders-worker-secret").body(body).post("/oauth/token"), 400,
                    "invalid_request");
            assertProblem(given().contentType(ContentType.URLENC).body(body).post("/auth/revoke"), 400, "invalid-input");
        }
    }

    private static void assertInactive(Response answer) {
        answer.then().statusCode(200).header("Cache-Control", "no-store")
                .body("active", equalTo(false)).body("$", aMapWithSize(1));
    }
}
