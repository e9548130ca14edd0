package dev.tokenservice.token;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class RevokeEndpointTest {

    @Test
    void revokingAnAccessTokenRefusesItButKeepsTheSession() {
        Tokens tokens = newSession();
        revoke(tokens.accessToken()).then().statusCode(200);
        assertInvalidToken(greeting(tokens.accessToken()));
        String fresh = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("access_token");
        greeting(fresh).then().statusCode(200);
    }

    @Test
    void revokingARefreshTokenEndsItsSession() {
        Tokens tokens = newSession();
        revoke(tokens.refreshToken()).then().statusCode(200);
        assertInvalidToken(refresh(tokens.refreshToken()));
        assertInvalidToken(greeting(tokens.accessToken()));
    }

    @Test
    void invalidTokensAreAcceptedSilently() {
        revoke("not a token").then().statusCode(200);
        revoke("a.b.c").then().statusCode(200);
        revoke("x".repeat(10_000)).then().statusCode(200);
    }

    @Test
    void missingTokenIsBadRequest() {
        assertProblem(json().body("{}").post("/auth/revoke"), 400, "invalid-input");
    }

    private static Response revoke(String token) {
        return json().body(Map.of("token", token)).post("/auth/revoke");
    }
}
