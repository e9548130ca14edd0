package dev.tokenservice.session;

import static dev.tokenservice.Api.ADMIN_PASSWORD;
import static dev.tokenservice.Api.ADMIN_USERNAME;
import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import dev.tokenservice.revocation.RevocationKeys;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class SessionsApiTest {

    private static final String DEVICE = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";

    @Inject
    TokenConfig config;

    @Inject
    EntityManager entityManager;

    @Inject
    RedisDataSource redis;

    @Test
    void theListShowsEachLiveSessionWithWhereItCameFrom() {
        String username = registered();
        Tokens laptop = loginWith(username, DEVICE);
        Tokens phone = loginWith(username, "Phone/1.0 " + "x".repeat(300));
        Tokens current = loginWith(username, "   ");
        refresh(phone.refreshToken()).then().statusCode(200);

        JsonPath list = bearer(current.accessToken()).get("/auth/sessions").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(sid(current), sid(phone), sid(laptop)), list.getList("sessions.id"), "newest first");
        assertEquals(List.of(true, false, false), list.getList("sessions.current"));
        assertEquals(List.of(false, false, false), list.getList("sessions.dpop_bound"));
        assertEquals(List.of("web", "web", "web"), list.getList("sessions.client_id"));
        Map<String, Object> laptopRow = list.getMap("sessions[2]");
        assertEquals(DEVICE, laptopRow.get("device"));
        assertEquals(200, list.getString("sessions[1].device").length());
        assertNull(list.get("sessions[0].device"), "a blank User-Agent is no device");
        assertNull(laptopRow.get("last_refreshed_at"));
        assertNull(list.get("sessions[0].last_refreshed_at"));
        Instant created = Instant.parse((String) laptopRow.get("created_at"));
        assertEquals(config.refreshToken().lifetime(),
                Duration.between(created, Instant.parse((String) laptopRow.get("expires_at"))));
        Instant phoneCreated = Instant.parse(list.getString("sessions[1].created_at"));
        assertTrue(Instant.parse(list.getString("sessions[1].last_refreshed_at")).isAfter(phoneCreated));
        bearer(current.accessToken()).get("/auth/sessions").then()
                .body("sessions.address", everyItem(anyOf(equalTo("127.0.0.1"), equalTo("::1"))));
    }

    @Test
    void endingAnotherOwnSessionRevokesItsTokens() {
        Tokens other = newSession();
        Tokens current = loginAs(other.username(), PASSWORD);

        end(current, sid(other)).then().statusCode(204);

        assertInvalidToken(greeting(other.accessToken()));
        assertInvalidToken(refresh(other.refreshToken()));
        greeting(current.accessToken()).then().statusCode(200);
        assertEquals(List.of(sid(current)), listed(current));
        assertProblem(end(current, sid(other)), 404, "session-not-found");
    }

    @Test
    void anotherUsersSessionIsNotFoundLikeAnUnknownOne() {
        Tokens caller = newSession();
        Tokens stranger = newSession();

        String unknown = assertProblem(end(caller, UUID.randomUUID().toString()), 404, "session-not-found")
                .extract().asString();
        String foreign = assertProblem(end(caller, sid(stranger)), 404, "session-not-found").extract().asString();

        assertEquals(unknown, foreign);
        greeting(stranger.accessToken()).then().statusCode(200);
        assertProblem(end(caller, "not-a-uuid"), 404, "session-not-found");
        assertProblem(end(caller, "1" + sid(stranger)), 404, "session-not-found");
    }

    @Test
    void endingTheCurrentSessionIsALogout() {
        Tokens current = newSession();

        end(current, sid(current)).then().statusCode(204);

        assertInvalidToken(greeting(current.accessToken()));
        assertInvalidToken(refresh(current.refreshToken()));
    }

    @Test
    void revokeOthersKeepsOnlyTheCurrentSession() {
        Tokens first = newSession();
        Tokens second = loginAs(first.username(), PASSWORD);
        Tokens current = loginAs(first.username(), PASSWORD);
        Tokens stranger = newSession();

        bearer(current.accessToken()).post("/auth/sessions/revoke-others").then().statusCode(204);

        assertInvalidToken(greeting(first.accessToken()));
        assertInvalidToken(greeting(second.accessToken()));
        assertInvalidToken(refresh(second.refreshToken()));
        greeting(current.accessToken()).then().statusCode(200);
        greeting(stranger.accessToken()).then().statusCode(200);
        assertEquals(List.of(sid(current)), listed(current));
    }

    @Test
    void theListIsBoundedButRevokeOthersIsNot() {
        Tokens current = newSession();
        UUID userId = UUID.fromString(TokenParts.claims(current.accessToken()).getString("sub"));
        insertOlderSessions(userId, UserSessionService.MAX_LISTED + 5);

        List<String> listed = listed(current);
        assertEquals(UserSessionService.MAX_LISTED, listed.size());
        assertEquals(sid(current), listed.get(0));

        bearer(current.accessToken()).post("/auth/sessions/revoke-others").then().statusCode(204);

        assertEquals(List.of(sid(current)), listed(current));
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> entityManager.createQuery(
                "select count(s) from AuthSession s where s.user.id = ?1 and s.revokedAt is null", Long.class)
                .setParameter(1, userId)
                .getSingleResult()), "every other session is revoked, listed or not");
    }

    @Test
    void endingASessionIsAnnouncedAsASessionRevocation() {
        Tokens other = newSession();
        Tokens current = loginAs(other.username(), PASSWORD);
        String head = streamHead();

        end(current, sid(other)).then().statusCode(204);

        assertTrue(sessionRevocationsAfter(head).contains(sid(other)));
        assertFalse(sessionRevocationsAfter(head).contains(sid(current)));
    }

    @Test
    void adminListsAndEndsAUsersSessions() {
        Tokens admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD);
        Tokens victim = newSession();
        String sessions = "/admin/users/" + victim.username().toUpperCase() + "/sessions";

        JsonPath list = bearer(admin.accessToken()).get(sessions).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(sid(victim)), list.getList("sessions.id"));
        assertEquals(List.of(false), list.getList("sessions.current"));

        bearer(admin.accessToken()).delete(sessions + "/" + sid(victim)).then().statusCode(204);

        assertInvalidToken(greeting(victim.accessToken()));
        bearer(admin.accessToken()).get(sessions).then().statusCode(200).body("sessions", equalTo(List.of()));
        assertProblem(bearer(admin.accessToken()).delete(sessions + "/" + sid(victim)), 404, "session-not-found");
        assertProblem(bearer(admin.accessToken()).delete(sessions + "/" + sid(admin)), 404, "session-not-found");
        assertProblem(bearer(admin.accessToken()).delete(sessions + "/nope"), 404, "session-not-found");
        greeting(admin.accessToken()).then().statusCode(200);
    }

    @Test
    void adminEndpointsRefuseUsersStrangersAndUnknownNames() {
        Tokens admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD);
        Tokens user = newSession();
        String own = "/admin/users/" + user.username() + "/sessions";

        assertProblem(bearer(user.accessToken()).get(own), 403, "forbidden");
        assertProblem(bearer(user.accessToken()).delete(own + "/" + sid(user)), 403, "forbidden");
        assertProblem(given().get(own), 401, "unauthorized");
        assertProblem(given().delete(own + "/" + sid(user)), 401, "unauthorized");
        String unknown = "/admin/users/" + randomUsername() + "/sessions";
        assertProblem(bearer(admin.accessToken()).get(unknown), 404, "account-not-found");
        assertProblem(bearer(admin.accessToken()).delete(unknown + "/" + sid(user)), 404, "account-not-found");
        greeting(user.accessToken()).then().statusCode(200);
    }

    @Test
    void everyEndpointNeedsAToken() {
        assertProblem(given().get("/auth/sessions"), 401, "unauthorized");
        assertProblem(given().delete("/auth/sessions/" + UUID.randomUUID()), 401, "unauthorized");
        assertProblem(given().post("/auth/sessions/revoke-others"), 401, "unauthorized");
    }

    private static String registered() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        return username;
    }

    private static Tokens loginWith(String username, String userAgent) {
        Response login = json().header("User-Agent", userAgent)
                .body(Map.of("username", username, "password", PASSWORD)).post("/auth/login");
        login.then().statusCode(200);
        return new Tokens(username, login.path("access_token"), login.path("refresh_token"));
    }

    private static Response end(Tokens caller, String sessionId) {
        return bearer(caller.accessToken()).delete("/auth/sessions/" + sessionId);
    }

    private static List<String> listed(Tokens caller) {
        return bearer(caller.accessToken()).get("/auth/sessions").then().statusCode(200)
                .extract().jsonPath().getList("sessions.id");
    }

    private static String sid(Tokens tokens) {
        return TokenParts.claims(tokens.accessToken()).getString("sid");
    }

    private void insertOlderSessions(UUID userId, int count) {
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 1; i <= count; i++) {
                entityManager.createNativeQuery("""
                        insert into {h-schema}auth_session (id, user_id, created_at, expires_at)
                        values (:id, :user, :created, :expires)""")
                        .setParameter("id", UUID.randomUUID())
                        .setParameter("user", userId)
                        .setParameter("created", now.minus(Duration.ofMinutes(i)))
                        .setParameter("expires", now.plus(Duration.ofDays(1)))
                        .executeUpdate();
            }
        });
    }

    private String streamHead() {
        io.vertx.mutiny.redis.client.Response newest = redis.execute("XREVRANGE", RevocationKeys.STREAM, "+", "-", "COUNT", "1");
        return newest == null || newest.size() == 0 ? "0-0" : newest.get(0).get(0).toString();
    }

    /** The subjects of the {@code session} revocations in the stream after {@code start}. */
    private List<String> sessionRevocationsAfter(String start) {
        List<String> subjects = new ArrayList<>();
        for (io.vertx.mutiny.redis.client.Response entry
                : redis.execute("XRANGE", RevocationKeys.STREAM, "(" + start, "+")) {
            io.vertx.mutiny.redis.client.Response fields = entry.get(1);
            String kind = null;
            String subject = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (fields.get(i).toString()) {
                    case "kind" -> kind = fields.get(i + 1).toString();
                    case "id" -> subject = fields.get(i + 1).toString();
                    default -> { }
                }
            }
            if ("session".equals(kind)) {
                assertNotNull(subject);
                subjects.add(subject);
            }
        }
        return subjects;
    }
}
