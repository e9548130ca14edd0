package dev.tokenservice.token;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LogoutAllTest {

    @Test
    void logoutAllRevokesEverySessionOfTheUser() {
        Tokens first = newSession();
        Tokens second = loginAs(first.username(), PASSWORD);
        Tokens stranger = newSession();

        bearer(second.accessToken()).post("/auth/logout-all").then().statusCode(204);

        assertInvalidToken(greeting(first.accessToken()));
        assertInvalidToken(greeting(second.accessToken()));
        assertInvalidToken(refresh(first.refreshToken()));
        assertInvalidToken(refresh(second.refreshToken()));
        greeting(stranger.accessToken()).then().statusCode(200);
    }

    @Test
    void aLoginAfterLogoutAllWorksAtOnce() {
        Tokens first = newSession();
        bearer(first.accessToken()).post("/auth/logout-all").then().statusCode(204);

        Tokens again = loginAs(first.username(), PASSWORD);
        greeting(again.accessToken()).then().statusCode(200);
        refresh(again.refreshToken()).then().statusCode(200);
    }
}
