package dev.tokenservice.token;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RefreshRotatesTokensTest {

    @Test
    void refreshIssuesANewPairAndSpendsTheOldToken() {
        Tokens tokens = newSession();
        var rotated = refresh(tokens.refreshToken()).then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("refresh_token", not(equalTo(tokens.refreshToken())))
                .extract();
        String next = rotated.path("refresh_token");
        greeting(rotated.path("access_token")).then().statusCode(200);
        greeting(tokens.accessToken()).then().statusCode(200);

        var again = refresh(next).then().statusCode(200).extract();
        assertNotEquals(next, again.path("refresh_token"));
    }

    @Test
    void retryWithinTheGraceGetsTheSameSuccessor() {
        Tokens tokens = newSession();
        String first = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        String retry = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        assertEquals(first, retry);
        refresh(first).then().statusCode(200);
    }

    @Test
    void unknownRefreshTokenIsUnauthorized() {
        assertInvalidToken(refresh("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    }

    @Test
    void missingRefreshTokenIsBadRequest() {
        assertProblem(json().body("{}").post("/auth/refresh"), 400, "invalid-input");
        assertProblem(json().body("{\"refresh_token\":").post("/auth/refresh"), 400, "malformed-body");
    }
}
