package dev.tokenservice.token;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.Concurrent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Refresh, logout and RFC 7009 revocation racing on one session: every answer is a defined one, never a 500. */
@QuarkusTest
class SessionRaceTest {

    @Test
    void refreshLogoutAndRevokeRacingOnOneSessionNeverAnswer500() {
        Map<String, Integer> seen = new TreeMap<>();
        for (int round = 0; round < 25; round++) {
            Tokens tokens = newSession();
            List<Callable<Response>> requests = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                requests.add(() -> refresh(tokens.refreshToken()));
            }
            requests.add(() -> bearer(tokens.accessToken()).post("/auth/logout"));
            requests.add(() -> json().body(Map.of("token", tokens.refreshToken())).post("/auth/revoke"));
            requests.add(() -> json().body(Map.of("token", tokens.accessToken())).post("/auth/revoke"));
            requests.add(() -> bearer(tokens.accessToken()).post("/auth/logout-all"));
            List<Response> responses = Concurrent.all(requests);
            for (int i = 0; i < responses.size(); i++) {
                int status = responses.get(i).statusCode();
                String what = i < 4 ? "refresh" : i == 4 ? "logout" : i < 7 ? "revoke" : "logout-all";
                seen.merge(what + " " + status, 1, Integer::sum);
                Set<Integer> allowed = i < 4 ? Set.of(200, 401) : i < 5 || i == 7 ? Set.of(204, 401) : Set.of(200);
                assertTrue(allowed.contains(status), what + " answered " + status + ": " + responses.get(i).asString());
            }
            // whatever won, the session is over
            assertTrue(greeting(tokens.accessToken()).statusCode() == 401);
        }
        System.out.println("racing on one session, 25 rounds: " + seen);
    }
}
