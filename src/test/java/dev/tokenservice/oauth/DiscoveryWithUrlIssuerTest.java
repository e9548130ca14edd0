package dev.tokenservice.oauth;

import static dev.tokenservice.Api.clientToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** With the public base URL as issuer, tokens carry it and the endpoints are built from it, not from the request. */
@QuarkusTest
@TestProfile(DiscoveryWithUrlIssuerTest.PublicIssuer.class)
class DiscoveryWithUrlIssuerTest {

    public static class PublicIssuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.issuer", "https://auth.example.test/");
        }
    }

    @Test
    void endpointsHangUnderTheIssuer() {
        for (String path : new String[] { DiscoveryTest.METADATA, DiscoveryTest.OPENID }) {
            JsonPath metadata = DiscoveryTest.metadata(path);
            assertEquals("https://auth.example.test/", metadata.getString("issuer"));
            assertEquals("https://auth.example.test/oauth/token", metadata.getString("token_endpoint"));
            assertEquals("https://auth.example.test/oauth/introspect", metadata.getString("introspection_endpoint"));
            assertEquals("https://auth.example.test/auth/revoke", metadata.getString("revocation_endpoint"));
            assertEquals("https://auth.example.test/.well-known/jwks.json", metadata.getString("jwks_uri"));
        }
        assertEquals("https://auth.example.test/",
                TokenParts.claims(clientToken("gateway").path("access_token")).getString("iss"));
    }
}
