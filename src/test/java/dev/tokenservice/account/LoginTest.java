package dev.tokenservice.account;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.login;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class LoginTest {

    @Test
    void returnsTokenPair() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        login(username, PASSWORD).then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("refresh_expires_in", greaterThan(2_591_000))
                .body("access_token", startsWith("ey"))
                .body("refresh_token.length()", greaterThan(42));
    }

    @Test
    void loginWithAnyCaseOfTheName() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        login(username.toUpperCase(), PASSWORD).then().statusCode(200);
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSameAnswer() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        Response wrongPassword = login(username, "not the password");
        Response unknownUser = login(randomUsername(), "not the password");
        assertProblem(wrongPassword, 401, "invalid-credentials").header("WWW-Authenticate", startsWith("Bearer"));
        assertProblem(unknownUser, 401, "invalid-credentials");
        assertArrayEquals(wrongPassword.asByteArray(), unknownUser.asByteArray());
        assertEquals(wrongPassword.getHeaders().asList().size(), unknownUser.getHeaders().asList().size());
    }

    @Test
    void malformedUsernameIsJustBadCredentials() {
        assertProblem(login("x", PASSWORD), 401, "invalid-credentials");
    }

    @Test
    void missingFieldIsBadRequest() {
        assertProblem(json().body(Map.of("username", randomUsername())).post("/auth/login"), 400, "invalid-input");
    }
}
