package dev.tokenservice.event;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.login;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertProblem;
import static dev.tokenservice.event.Events.detail;
import static dev.tokenservice.event.Events.ownEvents;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Each change a user makes, or that is made to their account, is one event in their own list. */
@QuarkusTest
class OwnEventsTest {

    @Test
    void registrationAndLoginAreRecordedWithWhereTheyCameFrom() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        String accessToken = json().header("User-Agent", "EventsTest/1.0 " + "x".repeat(300))
                .body(Map.of("username", username, "password", PASSWORD)).post("/auth/login")
                .then().statusCode(200).extract().path("access_token");

        List<Map<String, Object>> events = ownEvents(accessToken);
        assertEquals(List.of("login.succeeded", "account.registered"), events.stream().map(e -> e.get("type")).toList());
        Map<String, Object> login = events.get(0);
        assertEquals(TokenParts.claims(accessToken).getString("sid"), login.get("session_id"));
        assertEquals(TokenParts.claims(accessToken).getString("sub"), login.get("user_id"));
        assertEquals(username, login.get("username"));
        assertEquals("web", login.get("client_id"));
        assertEquals("127.0.0.1", login.get("address"));
        assertEquals(200, ((String) login.get("user_agent")).length());
        assertTrue(((String) login.get("user_agent")).startsWith("EventsTest/1.0"));
        assertNotNull(login.get("id"));
        Instant time = Instant.parse((String) login.get("time"));
        assertTrue(time.isAfter(Instant.now().minusSeconds(60)));
        assertNull(events.get(1).get("session_id"));
    }

    @Test
    void aWrongPasswordIsAFailedLoginOfTheAccount() {
        Tokens tokens = newSession();
        assertProblem(login(tokens.username(), "wrong password"), 401, "invalid-credentials");

        List<Map<String, Object>> failed = ownEvents(tokens.accessToken(), "login.failed");
        assertEquals(1, failed.size());
        assertEquals(tokens.username(), failed.get(0).get("username"));
        assertEquals("login", detail(failed.get(0), "via"));
        assertNull(failed.get(0).get("session_id"));
    }

    @Test
    void logoutRevokesItsSession() {
        Tokens tokens = newSession();
        Tokens other = loginAs(tokens.username(), PASSWORD);
        bearer(tokens.accessToken()).header("User-Agent", "LogoutTest/2.0").post("/auth/logout").then().statusCode(204);

        List<Map<String, Object>> revoked = ownEvents(other.accessToken(), "session.revoked");
        assertEquals(1, revoked.size());
        assertEquals("logout", detail(revoked.get(0), "reason"));
        assertEquals(tokens.username(), revoked.get(0).get("username"));
        assertEquals("127.0.0.1", revoked.get(0).get("address"));
        assertEquals("LogoutTest/2.0", revoked.get(0).get("user_agent"));
        assertEquals(TokenParts.claims(tokens.accessToken()).getString("sid"), revoked.get(0).get("session_id"));
        assertEquals("web", revoked.get(0).get("client_id"));
        // a second logout with the same token changes nothing and records nothing
        bearer(tokens.accessToken()).post("/auth/logout");
        assertEquals(1, ownEvents(other.accessToken(), "session.revoked").size());
    }

    @Test
    void logoutAllIsOneEventCountingTheSessions() {
        Tokens tokens = newSession();
        loginAs(tokens.username(), PASSWORD);
        loginAs(tokens.username(), PASSWORD);
        bearer(tokens.accessToken()).post("/auth/logout-all").then().statusCode(204);

        Tokens after = loginAs(tokens.username(), PASSWORD);
        List<Map<String, Object>> revoked = ownEvents(after.accessToken(), "session.revoked");
        assertEquals(1, revoked.size());
        assertEquals("logout_all", detail(revoked.get(0), "reason"));
        assertEquals(3, detail(revoked.get(0), "sessions"));
    }

    @Test
    void aPasswordChangeRevokesEverySession() {
        Tokens tokens = newSession();
        bearer(tokens.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", "another good password"))
                .post("/auth/password").then().statusCode(204);

        Tokens after = loginAs(tokens.username(), "another good password");
        List<Map<String, Object>> events = ownEvents(after.accessToken());
        assertEquals(List.of("login.succeeded", "session.revoked", "password.changed", "login.succeeded",
                "account.registered"), events.stream().map(e -> e.get("type")).toList());
        assertEquals("password_change", detail(events.get(1), "reason"));
        assertEquals(1, detail(events.get(1), "sessions"));
    }

    @Test
    void endingSessionsThroughTheSessionsApi() {
        Tokens tokens = newSession();
        Tokens second = loginAs(tokens.username(), PASSWORD);
        loginAs(tokens.username(), PASSWORD);
        loginAs(tokens.username(), PASSWORD);
        String secondSid = TokenParts.claims(second.accessToken()).getString("sid");
        bearer(tokens.accessToken()).delete("/auth/sessions/" + secondSid).then().statusCode(204);
        bearer(tokens.accessToken()).post("/auth/sessions/revoke-others").then().statusCode(204);

        List<Map<String, Object>> revoked = ownEvents(tokens.accessToken(), "session.revoked");
        assertEquals(2, revoked.size());
        assertEquals("user", detail(revoked.get(0), "reason"));
        assertEquals(2, detail(revoked.get(0), "sessions"));
        assertEquals("user", detail(revoked.get(1), "reason"));
        assertEquals(secondSid, revoked.get(1).get("session_id"));
    }

    @Test
    void rfc7009RevocationOfARefreshTokenRevokesItsSession() {
        Tokens tokens = newSession();
        Tokens other = loginAs(tokens.username(), PASSWORD);
        json().body(Map.of("token", tokens.refreshToken())).post("/auth/revoke").then().statusCode(200);
        json().body(Map.of("token", tokens.refreshToken())).post("/auth/revoke").then().statusCode(200);

        List<Map<String, Object>> revoked = ownEvents(other.accessToken(), "session.revoked");
        assertEquals(1, revoked.size());
        assertEquals("rfc7009", detail(revoked.get(0), "reason"));
        assertEquals(TokenParts.claims(tokens.accessToken()).getString("sid"), revoked.get(0).get("session_id"));
    }

    @Test
    void rfc7009RevocationOfAnAccessTokenIsATokenEvent() {
        Tokens tokens = newSession();
        Tokens other = loginAs(tokens.username(), PASSWORD);
        json().body(Map.of("token", tokens.accessToken())).post("/auth/revoke").then().statusCode(200);

        List<Map<String, Object>> revoked = ownEvents(other.accessToken(), "token.revoked");
        assertEquals(1, revoked.size());
        assertEquals(TokenParts.claims(tokens.accessToken()).getString("sid"), revoked.get(0).get("session_id"));
        assertTrue(ownEvents(other.accessToken(), "session.revoked").isEmpty());
    }

    @Test
    void theListIsTheNewestFifty() {
        Tokens tokens = newSession();
        for (int i = 0; i < 51; i++) {
            login(tokens.username(), "wrong password");
        }
        List<Map<String, Object>> events = ownEvents(tokens.accessToken());
        assertEquals(50, events.size());
        assertTrue(events.stream().allMatch(event -> "login.failed".equals(event.get("type"))));
    }

    @Test
    void anonymousCallersAreUnauthorized() {
        assertProblem(given().get("/auth/events"), 401, "unauthorized");
    }
}
