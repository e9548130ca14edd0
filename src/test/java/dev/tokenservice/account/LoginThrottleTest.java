package dev.tokenservice.account;

import static dev.tokenservice.Api.randomAddress;
import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertProblem;
import static dev.tokenservice.Api.bearer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Concurrent;
import dev.tokenservice.SmallThrottleLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Throttling with small limits; each test speaks for its own random client address through a trusted proxy. */
@QuarkusTest
@TestProfile(SmallThrottleLimits.class)
class LoginThrottleTest {

    @Test
    void aLockedUsernameGetsTheSame429WithTheRightPassword() {
        String address = randomAddress();
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        for (int i = 0; i < 3; i++) {
            assertProblem(login(username, "wrong password", address), 401, "invalid-credentials");
        }
        Response wrong = login(username, "wrong password", address);
        Response right = login(username, PASSWORD, randomAddress());
        assertProblem(wrong, 429, "too-many-attempts").header("Retry-After", matchesPattern("\\d+"));
        assertProblem(right, 429, "too-many-attempts");
        assertArrayEquals(wrong.asByteArray(), right.asByteArray());
    }

    @Test
    void unknownAndKnownUsernamesAreThrottledAlike() {
        String address = randomAddress();
        String known = randomUsername();
        register(known, PASSWORD).then().statusCode(201);
        String unknown = randomUsername();
        for (int i = 0; i < 3; i++) {
            login(known, "wrong password", address);
            login(unknown, "wrong password", randomAddress());
        }
        assertArrayEquals(login(known, "x", randomAddress()).asByteArray(),
                login(unknown, "x", randomAddress()).asByteArray());
    }

    @Test
    void oneAddressIsThrottledAcrossUsernames() {
        String address = randomAddress();
        for (int i = 0; i < 6; i++) {
            assertProblem(login(randomUsername(), "wrong password", address), 401, "invalid-credentials");
        }
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        assertProblem(login(username, PASSWORD, address), 429, "too-many-attempts");
        login(username, PASSWORD, randomAddress()).then().statusCode(200);
    }

    @Test
    void aForgedHopInFrontOfTheProxysOwnIsIgnored() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        // the test client is a trusted proxy here, so a forged hop in front of a real one is not believed
        String address = randomAddress();
        for (int i = 0; i < 6; i++) {
            json().header("X-Forwarded-For", randomAddress() + ", " + address)
                    .body(Map.of("username", randomUsername(), "password", "wrong password")).post("/auth/login");
        }
        assertProblem(login(username, PASSWORD, address), 429, "too-many-attempts");
    }

    @Test
    void aForwardedHeaderIsNotBelievedWhereTheProxySetsXForwardedFor() {
        // without X-Forwarded-For every attempt counts against the trusted peer itself, however "for=" varies
        Response last = null;
        for (int i = 0; i < 7; i++) {
            last = json().header("Forwarded", "for=" + randomAddress())
                    .body(Map.of("username", randomUsername(), "password", "wrong password")).post("/auth/login");
        }
        assertProblem(last, 429, "too-many-attempts");
    }

    @Test
    void successResetsTheUsernameCount() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        for (int i = 0; i < 2; i++) {
            login(username, "wrong password", randomAddress());
        }
        login(username, PASSWORD, randomAddress()).then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            login(username, "wrong password", randomAddress());
        }
        login(username, PASSWORD, randomAddress()).then().statusCode(200);
    }

    @Test
    void aBurstOfConcurrentGuessesGetsNoMorePasswordChecksThanTheLimit() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        assertNoMoreChecksThanTheLimit("wrong logins for one username",
                Concurrent.all(30, () -> login(username, "wrong password", randomAddress())));
        assertProblem(login(username, PASSWORD, randomAddress()), 429, "too-many-attempts");
    }

    @Test
    void wrongCurrentPasswordsCountAsFailedLoginsOfTheUser() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        String accessToken = login(username, PASSWORD, randomAddress()).then().statusCode(200)
                .extract().path("access_token");
        for (int i = 0; i < 3; i++) {
            assertProblem(changePassword(accessToken, "wrong password", randomAddress()), 401, "invalid-credentials")
                    .header("WWW-Authenticate", equalTo("Bearer realm=\"token-service\""));
        }
        assertProblem(changePassword(accessToken, PASSWORD, randomAddress()), 429, "too-many-attempts")
                .header("Retry-After", matchesPattern("\\d+"));
        assertProblem(login(username, PASSWORD, randomAddress()), 429, "too-many-attempts");
        // the token was never at fault
        bearer(accessToken).get("/api/greeting").then().statusCode(200);
    }

    @Test
    void concurrentWrongCurrentPasswordsAreLimitedToo() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        String accessToken = login(username, PASSWORD, randomAddress()).then().statusCode(200)
                .extract().path("access_token");
        assertNoMoreChecksThanTheLimit("wrong current passwords",
                Concurrent.all(20, () -> changePassword(accessToken, "wrong password", randomAddress())));
    }

    /** A burst of wrong passwords: at most the limit (3) checked, the rest refused with 429 and Retry-After. */
    private static void assertNoMoreChecksThanTheLimit(String what, List<Response> burst) {
        long checked = Concurrent.countStatus(burst, 401);
        long refused = Concurrent.countStatus(burst, 429);
        System.out.printf("%d concurrent %s: %d checked (401), %d refused (429)%n", burst.size(), what, checked,
                refused);
        assertTrue(checked <= 3, checked + " password checks for a limit of 3");
        assertEquals(burst.size(), checked + refused);
        burst.stream().filter(response -> response.statusCode() == 429)
                .forEach(response -> assertProblem(response, 429, "too-many-attempts")
                        .header("Retry-After", matchesPattern("\\d+")));
    }

    private static Response changePassword(String accessToken, String current, String address) {
        return bearer(accessToken).contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body(Map.of("current_password", current, "new_password", "another good password"))
                .post("/auth/password");
    }

    private static Response login(String username, String password, String address) {
        return json().header("X-Forwarded-For", address)
                .body(Map.of("username", username, "password", password)).post("/auth/login");
    }
}
