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
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.Concurrent;
import dev.tokenservice.revocation.RevocationKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** A password change is one operation, and no login racing it keeps a session opened with the old password. */
@QuarkusTest
class PasswordChangeAtomicityTest {

    private static final String NEW_PASSWORD = "a brand new password";

    @Inject
    RedisDataSource redis;

    @Test
    void aRevocationStoreFailureChangesNothingAndTheSameRequestCompletesLater() {
        Tokens tokens = newSession();
        String userId = bearer(tokens.accessToken()).get("/auth/me").then().statusCode(200).extract().path("id");
        // the user's cut-off key holds something the revocation script cannot compare: its write fails
        String cutoff = RevocationKeys.user(UUID.fromString(userId));
        redis.execute("SET", cutoff, "not-a-number");
        try {
            assertProblem(changePassword(tokens.accessToken()), 503, "unavailable").header("Retry-After", equalTo("1"));
            // nothing half done: the old password, the token and its session all still work
            greeting(tokens.accessToken()).then().statusCode(200);
            login(tokens.username(), PASSWORD).then().statusCode(200);
            assertProblem(login(tokens.username(), NEW_PASSWORD), 401, "invalid-credentials");
        } finally {
            redis.execute("DEL", cutoff);
        }
        changePassword(tokens.accessToken()).then().statusCode(204);
        assertInvalidToken(greeting(tokens.accessToken()));
        assertInvalidToken(refresh(tokens.refreshToken()));
        assertProblem(login(tokens.username(), PASSWORD), 401, "invalid-credentials");
        login(tokens.username(), NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void noLoginWithTheOldPasswordOutlivesTheChange() {
        int survivors = 0;
        int logins = 0;
        for (int round = 0; round < 4; round++) {
            Tokens owner = newSession();
            List<Callable<Response>> requests = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                requests.add(() -> login(owner.username(), PASSWORD));
            }
            requests.add(() -> {
                Thread.sleep(150);
                return changePassword(owner.accessToken());
            });
            List<Response> responses = Concurrent.all(requests);
            assertEquals(204, responses.get(responses.size() - 1).statusCode());
            for (Response response : responses.subList(0, responses.size() - 1)) {
                assertTrue(response.statusCode() == 200 || response.statusCode() == 401,
                        "login answered " + response.statusCode());
                if (response.statusCode() == 200) {
                    logins++;
                    String access = response.path("access_token");
                    String refreshToken = response.path("refresh_token");
                    if (greeting(access).statusCode() != 401 | refresh(refreshToken).statusCode() != 401) {
                        survivors++;
                    }
                }
            }
        }
        System.out.printf("logins with the old password racing its change: %d succeeded, %d outlived the change%n",
                logins, survivors);
        assertEquals(0, survivors, "sessions opened with the old password outlived the password change");
    }

    @Test
    void logoutAllStopsEverySessionOpenedBeforeIt() {
        Tokens owner = newSession();
        List<Tokens> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(loginAs(owner.username(), PASSWORD));
        }
        bearer(owner.accessToken()).post("/auth/logout-all").then().statusCode(204);
        for (Tokens tokens : before) {
            assertInvalidToken(greeting(tokens.accessToken()));
            assertInvalidToken(refresh(tokens.refreshToken()));
        }
        greeting(loginAs(owner.username(), PASSWORD).accessToken()).then().statusCode(200);
    }

    private static Response changePassword(String accessToken) {
        return bearer(accessToken).contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD))
                .post("/auth/password");
    }
}
