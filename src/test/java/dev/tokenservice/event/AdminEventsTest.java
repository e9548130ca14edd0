package dev.tokenservice.event;

import static dev.tokenservice.Api.ADMIN_PASSWORD;
import static dev.tokenservice.Api.ADMIN_USERNAME;
import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.login;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Problems.assertProblem;
import static dev.tokenservice.event.Events.detail;
import static dev.tokenservice.event.Events.ownEvents;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The admin's listing: filters, pages, refusals, and the admin's own actions. */
@QuarkusTest
class AdminEventsTest {

    @Test
    void adminRevokeIsOneEventCountingTheSessions() {
        Tokens victim = newSession();
        loginAs(victim.username(), PASSWORD);
        bearer(admin()).post("/admin/users/" + victim.username() + "/revoke").then().statusCode(204);

        JsonPath page = list("?user=" + victim.username().toUpperCase() + "&type=session.revoked");
        assertEquals(1, page.getList("events").size());
        assertEquals("admin", page.getString("events[0].detail.reason"));
        assertEquals(2, page.getInt("events[0].detail.sessions"));
        assertEquals(victim.username(), page.getString("events[0].username"));
        assertNull(page.get("next_cursor"));
    }

    @Test
    void anAdminEndingOneSessionRecordsIt() {
        Tokens victim = newSession();
        Tokens other = loginAs(victim.username(), PASSWORD);
        String sid = TokenParts.claims(victim.accessToken()).getString("sid");
        bearer(admin()).delete("/admin/users/" + victim.username() + "/sessions/" + sid).then().statusCode(204);

        List<Map<String, Object>> revoked = ownEvents(other.accessToken(), "session.revoked");
        assertEquals(1, revoked.size());
        assertEquals("admin", detail(revoked.get(0), "reason"));
        assertEquals(sid, revoked.get(0).get("session_id"));
    }

    @Test
    void keyRotationAndRetirementAreRecorded() {
        String rotated = bearer(admin()).post("/admin/keys/rotate").then().statusCode(201).extract().path("kid");
        JsonPath page = list("?type=key.rotated&limit=1");
        assertEquals(rotated, page.getString("events[0].detail.kid"));
        assertNotNull(page.getString("events[0].detail.previous_kid"));
        assertNull(page.get("events[0].user_id"));

        String retiring = bearer(admin()).post("/admin/keys/rotate?retire=now").then().statusCode(201)
                .extract().path("kid");
        assertEquals(retiring, list("?type=key.rotated&limit=1").getString("events[0].detail.kid"));
        assertEquals(rotated, list("?type=key.retired&limit=1").getString("events[0].detail.kid"));
    }

    @Test
    void pagesFollowTheCursorNewestFirst() {
        Tokens tokens = newSession();
        for (int i = 0; i < 4; i++) {
            login(tokens.username(), "wrong password");
        }
        String admin = admin();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = bearer(admin).get("/admin/events?user=" + tokens.username() + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("events.type"));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        assertEquals(List.of("login.failed", "login.failed", "login.failed", "login.failed", "login.succeeded",
                "account.registered"), seen);
        assertEquals(List.of("login.failed", "login.failed"),
                list("?user=" + tokens.username() + "&type=login.failed&limit=2").getList("events.type"));
    }

    @Test
    void sinceLeavesOutOlderEvents() {
        Tokens tokens = newSession();
        assertEquals(0, list("?user=" + tokens.username() + "&since=" + Instant.now().plusSeconds(60))
                .getList("events").size());
        assertEquals(2, bearer(admin()).queryParam("user", tokens.username())
                .queryParam("since", "2020-01-01T00:00:00+02:00").get("/admin/events")
                .then().statusCode(200).extract().jsonPath().getList("events").size());
    }

    @Test
    void anUnknownUserHasNoEvents() {
        assertTrue(list("?user=" + randomUsername()).getList("events").isEmpty());
        assertTrue(bearer(admin()).queryParam("user", "a b").get("/admin/events")
                .then().statusCode(200).extract().jsonPath().getList("events").isEmpty());
    }

    @Test
    void badParametersAreRefused() {
        String admin = admin();
        for (String query : new String[] { "?type=login.maybe", "?type=LOGIN.FAILED", "?since=yesterday",
                "?since=2026-01-01T00:00:00", "?cursor=abc", "?cursor=LTE", "?cursor=" + "A".repeat(40),
                "?limit=0", "?limit=201", "?limit=ten", "?limit=-1", "?limit=1.5", "?limit=1&limit=2",
                "?type=login.failed&type=login.succeeded", "?user=a&user=b" }) {
            assertProblem(bearer(admin).get("/admin/events" + query), 400, "invalid-input");
        }
        assertProblem(bearer(admin).get("/admin/events?type=nope"), 400, "invalid-input")
                .body("detail", containsString("login.throttled"));
        bearer(admin).get("/admin/events?limit=200").then().statusCode(200);
    }

    @Test
    void usersAreForbiddenAndAnonymousUnauthorized() {
        Tokens user = newSession();
        assertProblem(bearer(user.accessToken()).get("/admin/events"), 403, "forbidden");
        assertProblem(given().get("/admin/events"), 401, "unauthorized");
    }

    private static JsonPath list(String query) {
        Response response = bearer(admin()).get("/admin/events" + query);
        return response.then().statusCode(200).extract().jsonPath();
    }

    private static String admin() {
        return loginAs(ADMIN_USERNAME, ADMIN_PASSWORD).accessToken();
    }
}
