package dev.tokenservice.token;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LifetimesTest {

    @Inject
    AdjustableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void accessTokenExpiresAfterItsLifetimeAndSkew() {
        Tokens tokens = newSession();
        clock.advance(Duration.ofMinutes(15).minusSeconds(5));
        greeting(tokens.accessToken()).then().statusCode(200);
        clock.advance(Duration.ofSeconds(15));
        assertInvalidToken(greeting(tokens.accessToken()));
    }

    @Test
    void rotationDoesNotExtendTheSession() {
        Tokens tokens = newSession();
        clock.advance(Duration.ofDays(29));
        String next = refresh(tokens.refreshToken()).then()
                .statusCode(200)
                .body("refresh_expires_in", lessThan((int) Duration.ofDays(1).toSeconds() + 1))
                .extract().path("refresh_token");
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertInvalidToken(refresh(next));
    }
}
