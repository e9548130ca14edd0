package dev.tokenservice.dpop;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** With {@code auth.dpop.nonce-required}, a proof without the server's nonce gets use_dpop_nonce and a nonce to use. */
@QuarkusTest
@TestProfile(DpopNonceTest.NonceRequired.class)
class DpopNonceTest {

    public static class NonceRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.dpop.nonce-required", "true");
        }
    }

    private final ProofMaker client = new ProofMaker();

    @Test
    void aProofWithoutTheNonceIsAnsweredWithOneAndAProofWithItIsAccepted() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        Map<String, String> body = Map.of("username", username, "password", PASSWORD);

        Response withoutNonce = json().header("DPoP", client.proof("POST", "/auth/login", null)).body(body)
                .post("/auth/login");
        assertProblem(withoutNonce, 400, "invalid-dpop-proof").body("error", equalTo("use_dpop_nonce"))
                .header("DPoP-Nonce", notNullValue());
        String nonce = withoutNonce.header("DPoP-Nonce");
        assertProblem(json().header("DPoP", client.builder("POST", "/auth/login").nonce(nonce + "x").make())
                .body(body).post("/auth/login"), 400, "invalid-dpop-proof").body("error", equalTo("use_dpop_nonce"));

        Response login = json().header("DPoP", client.builder("POST", "/auth/login").nonce(nonce).make()).body(body)
                .post("/auth/login");
        login.then().statusCode(200).body("token_type", equalTo("DPoP")).header("DPoP-Nonce", notNullValue());
        String access = login.path("access_token");

        Response resource = given().header("Authorization", "DPoP " + access)
                .header("DPoP", client.proof("GET", "/api/greeting", access)).get("/api/greeting");
        resource.then().statusCode(401).header("WWW-Authenticate", containsString("error=\"use_dpop_nonce\""));
        assertNotNull(resource.header("DPoP-Nonce"));
        given().header("Authorization", "DPoP " + access)
                .header("DPoP", client.builder("GET", "/api/greeting").ath(access).nonce(resource.header("DPoP-Nonce"))
                        .make())
                .get("/api/greeting").then().statusCode(200);

        Response token = dev.tokenservice.Api.asClient("gateway", "gateway-secret")
                .formParam("grant_type", "client_credentials")
                .header("DPoP", client.proof("POST", "/oauth/token", null)).post("/oauth/token");
        token.then().statusCode(400).body("error", equalTo("use_dpop_nonce")).header("DPoP-Nonce", notNullValue());
    }
}
