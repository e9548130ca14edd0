package dev.tokenservice.oauth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** With {@code auth.public-url}, every endpoint is under it, whatever Host the request names. */
@QuarkusTest
@TestProfile(DiscoveryPublicUrlTest.PublicUrl.class)
class DiscoveryPublicUrlTest {

    public static class PublicUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.public-url", "https://auth.example.com/tokens/");
        }
    }

    @Test
    void endpointsAreUnderThePublicUrl() {
        JsonPath metadata = given().header("Host", "evil.example").get(DiscoveryTest.METADATA).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("https://auth.example.com/tokens/.well-known/jwks.json", metadata.getString("jwks_uri"));
        assertEquals("https://auth.example.com/tokens/oauth/token", metadata.getString("token_endpoint"));
        assertEquals("https://auth.example.com/tokens/auth/revoke", metadata.getString("revocation_endpoint"));
        assertEquals("https://auth.example.com/tokens/oauth/introspect",
                metadata.getString("introspection_endpoint"));
        assertEquals("token-service", metadata.getString("issuer"), "the issuer stays the tokens' iss");
    }
}
