package dev.tokenservice.dpop;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.introspect;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * DPoP (RFC 9449) end to end on one node, with proofs made by jose4j ({@link ProofMaker}): binding at login, refresh
 * and the token endpoint, the checks on protected endpoints, replay, and the refusals that must leave the session
 * and its refresh token as they were.
 */
@QuarkusTest
class DpopTest {

    private static final String GREETING = "/api/greeting";

    private final ProofMaker client = new ProofMaker();

    @Test
    void aProofAtLoginBindsTheTokensToItsKey() {
        Response login = dpopLogin(newUser(), client);
        login.then().statusCode(200).body("token_type", equalTo("DPoP"));
        String access = login.path("access_token");
        assertEquals(client.thumbprint(), TokenParts.claims(access).getString("cnf.jkt"));

        dpopGet(access, client.proof("GET", GREETING, access)).then().statusCode(200)
                .body("message", startsWith("Hey "));
    }

    @Test
    void aProofIsAcceptedOnce() {
        String access = dpopLogin(newUser(), client).path("access_token");
        String proof = client.proof("GET", GREETING, access);
        dpopGet(access, proof).then().statusCode(200);

        assertRefusedProof(dpopGet(access, proof), "invalid_dpop_proof");
    }

    @Test
    void aBoundTokenIsRefusedAsBearerAndAnUnboundOneWithTheDpopScheme() {
        String bound = dpopLogin(newUser(), client).path("access_token");
        assertRefusedProof(bearer(bound).get(GREETING), "invalid_token");

        String unbound = Api.login(newUser(), PASSWORD).path("access_token");
        assertRefusedProof(dpopGet(unbound, client.proof("GET", GREETING, unbound)), "invalid_token");
        bearer(unbound).get(GREETING).then().statusCode(200);
    }

    @Test
    void everyWrongPartOfAProofIsRefused() {
        String access = dpopLogin(newUser(), client).path("access_token");
        ProofMaker other = new ProofMaker();
        Map<String, String> wrong = Map.of(
                "wrong htm", client.builder("POST", GREETING).ath(access).make(),
                "wrong htu path", client.builder("GET", "/api/other").ath(access).make(),
                "wrong ath", client.builder("GET", GREETING).ath(access + "x").make(),
                "no ath", client.builder("GET", GREETING).make(),
                "stale iat", client.builder("GET", GREETING).ath(access).issuedSecondsAgo(61).make(),
                "future iat", client.builder("GET", GREETING).ath(access).issuedSecondsAgo(-60).make(),
                "another key", other.proof("GET", GREETING, access),
                "signed by another key", client.builder("GET", GREETING).ath(access).signedBy(other).make(),
                "private key in jwk", client.builder("GET", GREETING).ath(access).privateJwk().make(),
                "wrong typ", client.builder("GET", GREETING).ath(access).type("JWT").make());
        wrong.forEach((what, proof) -> assertRefusedProof(dpopGet(access, proof), "invalid_dpop_proof"));
        assertRefusedProof(dpopGet(access, "not.a.proof"), "invalid_dpop_proof");
        assertRefusedProof(given().header("Authorization", "DPoP " + access).get(GREETING), "invalid_dpop_proof");
        assertRefusedProof(given().header("Authorization", "DPoP " + access)
                .header("DPoP", client.proof("GET", GREETING, access))
                .header("DPoP", client.proof("GET", GREETING, access)).get(GREETING), "invalid_dpop_proof");

        dpopGet(access, client.proof("GET", GREETING, access)).then().statusCode(200);
    }

    @Test
    void aBoundSessionRefreshesOnlyWithAProofOfItsKeyAndARefusalSpendsNothing() {
        Response login = dpopLogin(newUser(), client);
        String refreshToken = login.path("refresh_token");
        ProofMaker thief = new ProofMaker();

        assertProblem(Api.refresh(refreshToken), 400, "invalid-dpop-proof").body("error", equalTo("invalid_dpop_proof"));
        assertProblem(dpopRefresh(refreshToken, thief), 400, "invalid-dpop-proof");

        Response refreshed = dpopRefresh(refreshToken, client);
        refreshed.then().statusCode(200).body("token_type", equalTo("DPoP"));
        String access = refreshed.path("access_token");
        assertEquals(client.thumbprint(), TokenParts.claims(access).getString("cnf.jkt"));
        dpopGet(access, client.proof("GET", GREETING, access)).then().statusCode(200);

        // the spent token presented without the key is refused as unproven, not taken for reuse: the session lives
        assertProblem(Api.refresh(refreshToken), 400, "invalid-dpop-proof");
        dpopGet(access, client.proof("GET", GREETING, access)).then().statusCode(200);
        dpopRefresh(refreshed.path("refresh_token"), client).then().statusCode(200);
    }

    @Test
    void aProofOnTheRefreshOfAnUnboundSessionIsRefused() {
        String refreshToken = Api.login(newUser(), PASSWORD).path("refresh_token");
        assertProblem(dpopRefresh(refreshToken, client), 400, "invalid-dpop-proof");
        Api.refresh(refreshToken).then().statusCode(200).body("token_type", equalTo("Bearer"));
    }

    @Test
    void anInvalidProofAtLoginIsRefusedNotAnsweredWithAnUnboundToken() {
        String username = newUser();
        String stale = client.builder("POST", "/auth/login").issuedSecondsAgo(120).make();
        assertProblem(json().header("DPoP", stale).body(Map.of("username", username, "password", PASSWORD))
                .post("/auth/login"), 400, "invalid-dpop-proof").body("error", equalTo("invalid_dpop_proof"));
        String replayed = client.proof("POST", "/auth/login", null);
        dpopLogin(username, replayed).then().statusCode(200);
        assertProblem(dpopLogin(username, replayed), 400, "invalid-dpop-proof");
        assertProblem(json().header("DPoP", client.proof("POST", "/auth/login", null))
                .body(Map.of("username", username, "password", PASSWORD)).queryParam("mode", "cookie")
                .post("/auth/login"), 400, "invalid-dpop-proof");
    }

    @Test
    void aClientThatRequiresDpopGetsNoTokenWithoutAProof() {
        String username = newUser();
        Map<String, String> body = Map.of("username", username, "password", PASSWORD, "client_id", "secure-app");
        assertProblem(json().body(body).post("/auth/login"), 400, "invalid-dpop-proof")
                .body("error", equalTo("invalid_dpop_proof"));
        json().header("DPoP", client.proof("POST", "/auth/login", null)).body(body).post("/auth/login").then()
                .statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void theTokenEndpointBindsAClientTokenAndIntrospectionShowsTheBinding() {
        Response token = Api.asClient("gateway", "gateway-secret").formParam("grant_type", "client_credentials")
                .header("DPoP", client.proof("POST", "/oauth/token", null)).post("/oauth/token");
        token.then().statusCode(200).body("token_type", equalTo("DPoP"));
        String access = token.path("access_token");
        introspect("introspector", access).then().statusCode(200).body("active", equalTo(true))
                .body("token_type", equalTo("DPoP")).body("cnf.jkt", equalTo(client.thumbprint()));

        Api.asClient("gateway", "gateway-secret").formParam("grant_type", "client_credentials")
                .header("DPoP", client.builder("POST", "/oauth/token").issuedSecondsAgo(300).make())
                .post("/oauth/token").then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        String unbound = Api.clientToken("gateway").path("access_token");
        introspect("introspector", unbound).then().body("token_type", equalTo("Bearer"));
    }

    @Test
    void logoutWithABoundTokenRevokesIt() {
        String access = dpopLogin(newUser(), client).path("access_token");
        given().header("Authorization", "DPoP " + access).header("DPoP", client.proof("POST", "/auth/logout", access))
                .post("/auth/logout").then().statusCode(204);
        Response refused = dpopGet(access, client.proof("GET", GREETING, access));
        assertRefusedProof(refused, "invalid_token");
        refused.then().header("WWW-Authenticate", containsString("error_description=\"the token has been revoked\""));
    }

    @Test
    void theDpopSchemeWithoutATokenGetsTheDpopChallenge() {
        ValidatableResponse refused = given().header("Authorization", "DPoP").get(GREETING).then();
        assertRefusedProof(refused.extract().response(), "invalid_token");
        refused.header("WWW-Authenticate", containsString("error_description="));
    }

    @Test
    void discoveryListsTheProofAlgorithms() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("dpop_signing_alg_values_supported", hasItem("ES256"));
    }

    private static void assertRefusedProof(Response response, String error) {
        assertProblem(response, 401, "invalid_token".equals(error) ? "invalid-token" : "invalid-dpop-proof")
                .header("WWW-Authenticate", startsWith("DPoP "))
                .header("WWW-Authenticate", containsString("error=\"" + error + "\""))
                .body("error", equalTo(error));
    }

    private static String newUser() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        return username;
    }

    private static Response dpopLogin(String username, ProofMaker key) {
        return dpopLogin(username, key.proof("POST", "/auth/login", null));
    }

    private static Response dpopLogin(String username, String proof) {
        return json().header("DPoP", proof).body(Map.of("username", username, "password", PASSWORD)).post("/auth/login");
    }

    private static Response dpopRefresh(String refreshToken, ProofMaker key) {
        return json().header("DPoP", key.proof("POST", "/auth/refresh", null))
                .body(Map.of("refresh_token", refreshToken)).post("/auth/refresh");
    }

    private static Response dpopGet(String access, String proof) {
        return given().header("Authorization", "DPoP " + access).header("DPoP", proof).get(GREETING);
    }
}
