package dev.tokenservice.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api;
import dev.tokenservice.dpop.ProofMaker;
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

    /** A DPoP proof's htu is the public URL of the endpoint (normalised, without query), never the request's Host. */
    @Test
    void dpopProofsNameThePublicUrl() {
        String username = Api.randomUsername();
        Api.register(username, Api.PASSWORD).then().statusCode(201);
        ProofMaker key = new ProofMaker();
        Map<String, String> body = Map.of("username", username, "password", Api.PASSWORD);
        for (String htu : List.of("http://localhost:8081/auth/login", "https://evil.example/tokens/auth/login",
                "https://auth.example.com/auth/login", "http://auth.example.com/tokens/auth/login")) {
            Api.json().header("Host", "evil.example").header("DPoP", key.proofFor("POST", htu)).body(body)
                    .post("/auth/login").then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        }
        Api.json().header("DPoP", key.proofFor("POST", "https://AUTH.example.com:443/tokens/auth/./login?x=1#f"))
                .body(body).post("/auth/login").then().statusCode(200).body("token_type", equalTo("DPoP"));
    }
}
