package dev.tokenservice.account;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.login;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class MeAndPasswordTest {

    @Test
    void meShowsTheAccount() {
        Tokens tokens = newSession();
        bearer(tokens.accessToken()).get("/auth/me").then()
                .statusCode(200)
                .body("username", equalTo(tokens.username()))
                .body("roles", contains("user"));
    }

    @Test
    void meNeedsAToken() {
        assertProblem(given().get("/auth/me"), 401, "unauthorized")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void passwordChangeRevokesEverySession() {
        Tokens first = newSession();
        Tokens second = loginAs(first.username(), PASSWORD);
        changePassword(first.accessToken(), PASSWORD, "a brand new password").then().statusCode(204);

        assertInvalidToken(greeting(first.accessToken()));
        assertInvalidToken(greeting(second.accessToken()));
        assertInvalidToken(refresh(first.refreshToken()));
        assertInvalidToken(refresh(second.refreshToken()));
        assertProblem(login(first.username(), PASSWORD), 401, "invalid-credentials");
        String fresh = login(first.username(), "a brand new password").then().statusCode(200)
                .extract().path("access_token");
        greeting(fresh).then().statusCode(200);
    }

    @Test
    void wrongCurrentPasswordIsUnauthorized() {
        Tokens tokens = newSession();
        assertProblem(changePassword(tokens.accessToken(), "not the password", "a brand new password"),
                401, "invalid-credentials").header("WWW-Authenticate", equalTo("Bearer realm=\"token-service\""));
        greeting(tokens.accessToken()).then().statusCode(200);
    }

    @Test
    void invalidPasswordChangeIsBadRequest() {
        Tokens tokens = newSession();
        assertProblem(changePassword(tokens.accessToken(), PASSWORD, "short"), 400, "invalid-input");
        assertProblem(bearer(tokens.accessToken()).contentType(ContentType.JSON).body("{}").post("/auth/password"),
                400, "invalid-input");
    }

    @Test
    void passwordChangeNeedsAToken() {
        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", "a brand new password"))
                .post("/auth/password"), 401, "unauthorized");
    }

    private static Response changePassword(String accessToken, String current, String next) {
        return bearer(accessToken).contentType(ContentType.JSON)
                .body(Map.of("current_password", current, "new_password", next))
                .post("/auth/password");
    }

}
