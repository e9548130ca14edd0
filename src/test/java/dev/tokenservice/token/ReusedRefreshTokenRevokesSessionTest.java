package dev.tokenservice.token;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
class ReusedRefreshTokenRevokesSessionTest {

    @Inject
    AdjustableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void replayAfterTheGraceRevokesTheSession() {
        Tokens tokens = newSession();
        ExtractableResponse<Response> rotated = refresh(tokens.refreshToken()).then().statusCode(200).extract();
        clock.advance(Duration.ofSeconds(11));

        assertInvalidToken(refresh(tokens.refreshToken()));

        assertInvalidToken(refresh(rotated.path("refresh_token")));
        assertInvalidToken(greeting(rotated.path("access_token")));
        assertInvalidToken(greeting(tokens.accessToken()));
    }

    @Test
    void replayAfterTheSuccessorWasUsedRevokesTheSession() {
        Tokens tokens = newSession();
        String successor = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        ExtractableResponse<Response> third = refresh(successor).then().statusCode(200).extract();

        assertInvalidToken(refresh(tokens.refreshToken()));

        assertInvalidToken(refresh(third.path("refresh_token")));
        assertInvalidToken(greeting(third.path("access_token")));
    }

    @Test
    void otherSessionsOfTheUserSurvive() {
        Tokens stolen = newSession();
        Tokens other = loginAs(stolen.username(), PASSWORD);
        String successor = refresh(stolen.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        refresh(successor).then().statusCode(200);
        assertInvalidToken(refresh(stolen.refreshToken()));

        greeting(other.accessToken()).then().statusCode(200);
        refresh(other.refreshToken()).then().statusCode(200);
    }
}
