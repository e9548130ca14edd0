package dev.tokenservice.token;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Login and refresh with and without a public {@code client_id}: the tokens' {@code aud} and {@code client_id}. */
@QuarkusTest
class LoginForClientTest {

    @Test
    void withoutAClientTheDefaultClientApplies() {
        Api.Tokens tokens = Api.newSession();
        JsonPath claims = TokenParts.claims(tokens.accessToken());
        assertEquals("token-service", claims.getString("aud"));
        assertEquals("web", claims.getString("client_id"));
        JsonPath refreshed = TokenParts.claims(Api.refresh(tokens.refreshToken()).then().statusCode(200)
                .extract().path("access_token"));
        assertEquals("web", refreshed.getString("client_id"));
    }

    @Test
    void aPublicClientsSessionKeepsItsAudienceThroughRefreshes() {
        String username = newAccount();
        Response login = login(username, "mobile").then().statusCode(200).extract().response();
        String accessToken = login.path("access_token");
        assertMobile(TokenParts.claims(accessToken));
        greeting(accessToken).then().statusCode(200);

        Response refreshed = refresh(login.path("refresh_token"), null).then().statusCode(200).extract().response();
        assertMobile(TokenParts.claims(refreshed.path("access_token")));
        Response again = refresh(refreshed.path("refresh_token"), "mobile").then().statusCode(200).extract().response();
        assertMobile(TokenParts.claims(again.path("access_token")));
    }

    @Test
    void aRefreshForAnotherClientIsRefusedAndSpendsNothing() {
        String username = newAccount();
        String refreshToken = login(username, "mobile").then().statusCode(200).extract().path("refresh_token");
        assertInvalidToken(refresh(refreshToken, "web"));
        refresh(refreshToken, "mobile").then().statusCode(200);

        String webRefresh = login(username, null).then().statusCode(200).extract().path("refresh_token");
        assertInvalidToken(refresh(webRefresh, "mobile"));
        refresh(webRefresh, "web").then().statusCode(200);
    }

    @Test
    void unknownConfidentialAndUnfitClientsCannotLogIn() {
        String username = newAccount();
        for (String client : List.of("nobody", "backend", "gateway", "")) {
            assertProblem(login(username, client), 400, "invalid-client");
        }
        String refreshToken = login(username, null).then().statusCode(200).extract().path("refresh_token");
        for (String client : List.of("nobody", "backend", "gateway")) {
            assertProblem(refresh(refreshToken, client), 400, "invalid-client");
        }
        refresh(refreshToken, null).then().statusCode(200);
    }

    @Test
    void aClientIdOfTheWrongShapeIsInvalidInput() {
        String username = newAccount();
        assertProblem(json().body(Map.of("username", username, "password", PASSWORD, "client_id", List.of("web")))
                .post("/auth/login"), 400, "malformed-body");
        assertProblem(login(username, "x".repeat(200)), 400, "invalid-input");
    }

    private static void assertMobile(JsonPath claims) {
        assertEquals(List.of("token-service", "mobile-api"), claims.getList("aud"));
        assertEquals("mobile", claims.getString("client_id"));
    }

    private static String newAccount() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        return username;
    }

    private static Response login(String username, String clientId) {
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "password", PASSWORD));
        if (clientId != null) {
            body.put("client_id", clientId);
        }
        return json().body(body).post("/auth/login");
    }

    private static Response refresh(String refreshToken, String clientId) {
        Map<String, Object> body = new HashMap<>(Map.of("refresh_token", refreshToken));
        if (clientId != null) {
            body.put("client_id", clientId);
        }
        return json().body(body).post("/auth/refresh");
    }
}
