package dev.tokenservice.oauth;

import static dev.tokenservice.Api.asClient;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.oauth.OAuthErrors.assertInvalidClient;
import static dev.tokenservice.oauth.OAuthErrors.assertOAuthError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Credentials are checked before anything else in a client-authenticated request: bad ones get 401 whatever else is
 * wrong. A confidential client without grant types introspects but gets no token.
 */
@QuarkusTest
class CredentialsFirstTest {

    private static final List<String> ENDPOINTS = List.of("/oauth/token", "/oauth/introspect");

    @Test
    void badCredentialsWithAMalformedFormAre401() {
        for (String endpoint : ENDPOINTS) {
            for (RequestSpecification client : List.of(asClient("gateway", "wrong"), given(),
                    asClient("nobody", "x"))) {
                assertInvalidClient(client.contentType("application/x-www-form-urlencoded").body("a=%zz&=1&token=x")
                        .post(endpoint));
            }
            assertInvalidClient(asClient("gateway", "wrong").contentType("application/x-www-form-urlencoded")
                    .body("token=a&token=b&grant_type=x&grant_type=y").post(endpoint));
            assertInvalidClient(asClient("gateway", "wrong").contentType("application/x-www-form-urlencoded")
                    .body("client_secret=gateway-secret").post(endpoint));
            assertInvalidClient(asClient("gateway", "wrong").contentType("application/json").body("{}")
                    .post(endpoint));
        }
    }

    @Test
    void goodCredentialsWithAMalformedFormAre400() {
        for (String endpoint : ENDPOINTS) {
            assertOAuthError(asClient("gateway", "gateway-secret").contentType("application/x-www-form-urlencoded")
                    .body("a=%zz").post(endpoint), 400, "invalid_request");
            assertOAuthError(asClient("gateway", "gateway-secret").contentType("application/json").body("{}")
                    .post(endpoint), 400, "invalid_request");
        }
    }

    @Test
    void aConfidentialClientWithoutGrantTypesOnlyIntrospects() {
        String token = newSession().accessToken();
        asClient("introspector", "introspector-secret").formParam("token", token).post("/oauth/introspect").then()
                .statusCode(200).body("active", is(true));
        assertOAuthError(asClient("introspector", "introspector-secret").formParam("grant_type", "client_credentials")
                .post("/oauth/token"), 400, "unauthorized_client");
    }
}
