package dev.tokenservice.oauth;

import static dev.tokenservice.Api.clientToken;
import static dev.tokenservice.Api.newSession;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The metadata documents agree with each other and with real tokens, and name only endpoints that answer. The test
 * profile's issuer is not a URL and no public URL is set, so the endpoints are paths from the service's root.
 */
@QuarkusTest
class DiscoveryTest {

    static final String METADATA = "/.well-known/oauth-authorization-server";
    static final String OPENID = "/.well-known/openid-configuration";

    @Test
    void theIssuerIsTheTokensIss() {
        JsonPath metadata = metadata(METADATA);
        assertEquals(TokenParts.claims(newSession().accessToken()).getString("iss"), metadata.getString("issuer"));
        assertEquals(TokenParts.claims(clientToken("gateway").path("access_token")).getString("iss"),
                metadata.getString("issuer"));
    }

    @Test
    void bothPathsDescribeTheSameServer() {
        Map<String, Object> openid = new HashMap<>(metadata(OPENID).getMap(""));
        assertEquals(List.of("public"), openid.remove("subject_types_supported"));
        assertEquals(metadata(METADATA).getMap(""), openid);
    }

    @Test
    void itDescribesWhatExists() {
        JsonPath metadata = metadata(METADATA);
        assertEquals(List.of("client_credentials"), metadata.getList("grant_types_supported"));
        assertEquals(List.of("client_secret_basic"), metadata.getList("token_endpoint_auth_methods_supported"));
        assertEquals(List.of("ES256"), metadata.getList("id_token_signing_alg_values_supported"));
        assertTrue(metadata.getList("scopes_supported").contains("orders:read"));
        for (String endpoint : List.of("jwks_uri", "token_endpoint", "revocation_endpoint", "introspection_endpoint")) {
            assertTrue(metadata.getString(endpoint).matches("/[a-z./-]+"), endpoint + " is a path from the root");
        }
        String token = newSession().accessToken();
        given().get(metadata.getString("jwks_uri")).then().statusCode(200)
                .body("keys.kid", hasItem(TokenParts.header(token).getString("kid")));
        given().formParam("grant_type", "client_credentials").post(metadata.getString("token_endpoint"))
                .then().statusCode(401);
        given().formParam("token", "x").post(metadata.getString("introspection_endpoint")).then().statusCode(401);
        given().formParam("token", "x").post(metadata.getString("revocation_endpoint")).then().statusCode(200);
    }

    @Test
    void theRequestsHostIsNeverReflectedAndTheDocumentsAreCacheable() {
        for (String path : List.of(METADATA, OPENID)) {
            String body = given().header("Host", "evil.example").header("X-Forwarded-Host", "evil.example")
                    .header("Forwarded", "host=evil.example;proto=https").get(path).then().statusCode(200)
                    .header("Cache-Control", "public, max-age=300").extract().asString();
            assertFalse(body.contains("evil.example"), body);
            assertFalse(body.contains("localhost"), body);
        }
    }

    static JsonPath metadata(String path) {
        return given().get(path).then().statusCode(200).contentType("application/json").extract().jsonPath();
    }
}
