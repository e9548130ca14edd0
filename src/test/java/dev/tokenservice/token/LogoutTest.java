package dev.tokenservice.token;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LogoutTest {

    @Test
    void logoutRevokesTheAccessTokenAndTheSessionsRefreshToken() {
        Tokens tokens = newSession();
        greeting(tokens.accessToken()).then().statusCode(200);

        bearer(tokens.accessToken()).post("/auth/logout").then().statusCode(204);

        assertInvalidToken(greeting(tokens.accessToken()));
        assertInvalidToken(refresh(tokens.refreshToken()));
        assertInvalidToken(bearer(tokens.accessToken()).post("/auth/logout"));
    }

    @Test
    void logoutLeavesOtherSessionsAlone() {
        Tokens first = newSession();
        Tokens second = loginAs(first.username(), PASSWORD);
        bearer(first.accessToken()).post("/auth/logout").then().statusCode(204);
        greeting(second.accessToken()).then().statusCode(200);
    }

    @Test
    void logoutNeedsAToken() {
        assertProblem(given().post("/auth/logout"), 401, "unauthorized");
    }
}
