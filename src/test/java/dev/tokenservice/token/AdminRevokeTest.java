package dev.tokenservice.token;

import static dev.tokenservice.Api.ADMIN_PASSWORD;
import static dev.tokenservice.Api.ADMIN_USERNAME;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AdminRevokeTest {

    @Test
    void adminRevokesEveryTokenOfAUser() {
        Tokens admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD);
        Tokens victim = newSession();

        bearer(admin.accessToken()).post("/admin/users/" + victim.username().toUpperCase() + "/revoke")
                .then().statusCode(204);

        assertInvalidToken(greeting(victim.accessToken()));
        assertInvalidToken(refresh(victim.refreshToken()));
        greeting(admin.accessToken()).then().statusCode(200);
    }

    @Test
    void adminPing() {
        Tokens admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD);
        bearer(admin.accessToken()).get("/api/admin/ping").then().statusCode(200).body("message", equalTo("pong"));
    }

    @Test
    void usersAreForbiddenAndAnonymousUnauthorized() {
        Tokens user = newSession();
        assertProblem(bearer(user.accessToken()).post("/admin/users/" + user.username() + "/revoke"), 403, "forbidden");
        assertProblem(bearer(user.accessToken()).get("/api/admin/ping"), 403, "forbidden");
        assertProblem(given().post("/admin/users/" + user.username() + "/revoke"), 401, "unauthorized");
        assertProblem(given().get("/api/admin/ping"), 401, "unauthorized");
        greeting(user.accessToken()).then().statusCode(200);
    }

    @Test
    void unknownUserIsNotFound() {
        Tokens admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD);
        assertProblem(bearer(admin.accessToken()).post("/admin/users/" + randomUsername() + "/revoke"),
                404, "account-not-found");
    }
}
