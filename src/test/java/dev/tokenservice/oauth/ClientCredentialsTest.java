package dev.tokenservice.oauth;

import static dev.tokenservice.Api.asClient;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.clientToken;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static dev.tokenservice.oauth.OAuthErrors.assertInvalidClient;
import static dev.tokenservice.oauth.OAuthErrors.assertOAuthError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** {@code POST /oauth/token} with {@code client_credentials}: the machine token, each error, its audience. */
@QuarkusTest
class ClientCredentialsTest {

    @Test
    void aConfidentialClientGetsATokenOfItsOwn() {
        Response response = clientToken("orders-worker");
        response.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("scope", equalTo("orders:read orders:write"))
                .body("refresh_token", nullValue());
        JsonPath claims = TokenParts.claims(response.path("access_token"));
        assertEquals("orders-worker", claims.getString("sub"));
        assertEquals("orders-worker", claims.getString("client_id"));
        assertEquals("orders-api", claims.getString("aud"));
        assertEquals("orders:read orders:write", claims.getString("scope"));
        assertEquals(900, claims.getLong("exp") - claims.getLong("iat"));
        assertFalse(claims.getMap("").containsKey("sid"));
        assertEquals("at+jwt", TokenParts.header(response.path("access_token")).getString("typ"));
    }

    @Test
    void scopeAndAudienceNarrowTheToken() {
        Response response = asClient("orders-worker", "orders-worker-secret").formParam("grant_type", "client_credentials")
                .formParam("scope", "orders:read").formParam("audience", "orders-api").post("/oauth/token");
        response.then().statusCode(200).body("scope", equalTo("orders:read"));
        assertEquals("orders:read", TokenParts.claims(response.path("access_token")).getString("scope"));
    }

    @Test
    void aScopeTheClientMayNotHaveIsInvalidScope() {
        for (String scope : List.of("admin", "orders:read admin", "  ")) {
            assertOAuthError(token("orders-worker", Map.of("grant_type", "client_credentials", "scope", scope)),
                    400, "invalid_scope");
        }
        assertOAuthError(token("gateway", Map.of("grant_type", "client_credentials", "scope", "orders:read")), 400,
                "invalid_scope");
    }

    @Test
    void anotherAudienceIsAnInvalidRequest() {
        assertOAuthError(token("orders-worker", Map.of("grant_type", "client_credentials", "audience", "token-service")),
                400, "invalid_request");
    }

    @Test
    void everyOtherGrantTypeIsUnsupportedHere() {
        for (String grantType : List.of("password", "refresh_token", "authorization_code", "urn:x")) {
            assertOAuthError(token("orders-worker", Map.of("grant_type", grantType, "username", "a", "password", "b",
                    "refresh_token", "c")), 400, "unsupported_grant_type");
        }
    }

    @Test
    void aClientWithoutTheGrantIsUnauthorized() {
        assertOAuthError(clientToken("backend"), 400, "unauthorized_client");
    }

    @Test
    void malformedRequestsAreInvalidRequests() {
        assertOAuthError(token("orders-worker", Map.of()), 400, "invalid_request");
        assertOAuthError(asClient("orders-worker", "orders-worker-secret").formParam("grant_type", "client_credentials")
                .formParam("grant_type", "client_credentials").post("/oauth/token"), 400, "invalid_request");
        assertOAuthError(asClient("orders-worker", "orders-worker-secret").formParam("grant_type", "client_credentials")
                .formParam("client_secret", "orders-worker-secret").post("/oauth/token"), 400, "invalid_request");
        assertOAuthError(token("orders-worker", Map.of("grant_type", "client_credentials", "client_id", "gateway")), 400,
                "invalid_request");
        assertOAuthError(given().header("Authorization", Api.basic("orders-worker", "orders-worker-secret"))
                .contentType(ContentType.JSON).body(Map.of("grant_type", "client_credentials")).post("/oauth/token"),
                400, "invalid_request");
        token("orders-worker", Map.of("grant_type", "client_credentials", "client_id", "orders-worker"))
                .then().statusCode(200);
    }

    @Test
    void badClientCredentialsAreInvalidClient() {
        assertInvalidClient(given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .post("/oauth/token"));
        assertInvalidClient(asClient("orders-worker", "wrong").formParam("grant_type", "client_credentials")
                .post("/oauth/token"));
        assertInvalidClient(asClient("web", "").formParam("grant_type", "client_credentials").post("/oauth/token"));
        assertInvalidClient(given().header("Authorization", "Bearer x").contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth/token"));
    }

    @Test
    void ourEndpointsTakeOnlyTokensForOurAudience() {
        String foreign = clientToken("orders-worker").path("access_token");
        assertInvalidToken(greeting(foreign));
        String own = clientToken("gateway").path("access_token");
        greeting(own).then().statusCode(200).body("message", equalTo("Hey gateway"));
    }

    @Test
    void aClientsOwnTokenActsForNoUser() {
        String own = clientToken("gateway").path("access_token");
        for (String path : List.of("/auth/logout", "/auth/logout-all")) {
            assertProblem(bearer(own).post(path), 403, "forbidden");
        }
        assertProblem(bearer(own).get("/auth/me"), 403, "forbidden");
        assertProblem(bearer(own).get("/api/admin/ping"), 403, "forbidden");
    }

    @Test
    void aClientsTokenIsRevocableLikeAnyOther() {
        String own = clientToken("gateway").path("access_token");
        given().contentType(ContentType.URLENC).formParam("token", own).post("/auth/revoke").then().statusCode(200);
        assertInvalidToken(greeting(own));
    }

    private static Response token(String clientId, Map<String, String> form) {
        return asClient(clientId, clientId + "-secret").formParams(form).post("/oauth/token");
    }
}
