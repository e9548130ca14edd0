package dev.tokenservice.event;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.asClient;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.randomAddress;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.ClientFailures;
import dev.tokenservice.Concurrent;
import dev.tokenservice.SmallThrottleLimits;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** A lockout is one event, however many attempts meet it (limits: 3 per name, 6 per address). */
@QuarkusTest
@TestProfile(SmallThrottleLimits.class)
class ThrottleEventsTest {

    @Inject
    EventRows rows;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void forgetClientFailures() {
        ClientFailures.forget(redis);
    }

    @Test
    void thirtyConcurrentWrongLoginsForOneUsernameAreOneLockout() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        List<Response> burst = Concurrent.all(30, () -> login(username, "wrong password", randomAddress()));
        assertEquals(3, Concurrent.countStatus(burst, 401));

        assertEquals(1, rows.count("login.throttled", "username", username));
        assertEquals(3, rows.count("login.failed", "username", username));
        String detail = rows.newestDetail("login.throttled", "username", username);
        assertThat(detail, containsString("\"scope\": \"user\""));
        assertThat(detail, containsString("\"retry_after\": "));
        // the attempts refused afterwards record nothing more
        login(username, PASSWORD, randomAddress()).then().statusCode(429);
        assertEquals(1, rows.count("login.throttled", "username", username));
    }

    @Test
    void anAddressThatReachesItsLimitIsOneLockout() {
        String address = randomAddress();
        for (int i = 0; i < 8; i++) {
            login(randomUsername(), "wrong password", address);
        }
        assertEquals(1, rows.count("login.throttled", "address", address));
        assertEquals(6, rows.count("login.failed", "address", address));
        assertThat(rows.newestDetail("login.throttled", "address", address), containsString("\"scope\": \"address\""));
    }

    @Test
    void aClientGuessedFromOneAddressIsOneLockout() {
        String address = randomAddress();
        List<Response> burst = Concurrent.all(20, () -> token("orders-worker", "guess", address));
        assertEquals(3, Concurrent.countStatus(burst, 401));

        assertEquals(1, rows.count("client.throttled", "address", address));
        assertEquals(1, rows.count("client.throttled", "client_id || ' ' || address", "orders-worker " + address));
        assertThat(rows.newestDetail("client.throttled", "address", address), containsString("\"scope\": \"client\""));
    }

    @Test
    void unknownClientIdsLockTheAddressAndAreNotWritten() {
        String address = randomAddress();
        for (int i = 0; i < 8; i++) {
            token(UUID.randomUUID().toString().substring(0, 8), "guess", address);
        }
        assertEquals(1, rows.count("client.throttled", "address", address));
        assertThat(rows.newestDetail("client.throttled", "address", address), containsString("\"scope\": \"address\""));
        assertEquals(1, rows.count("client.throttled", "coalesce(client_id, 'none') || ' ' || address",
                "none " + address));
    }

    private static Response login(String username, String password, String address) {
        return json().header("X-Forwarded-For", address)
                .body(Map.of("username", username, "password", password)).post("/auth/login");
    }

    private static Response token(String clientId, String secret, String address) {
        return asClient(clientId, secret).header("X-Forwarded-For", address)
                .formParam("grant_type", "client_credentials").post("/oauth/token");
    }
}
