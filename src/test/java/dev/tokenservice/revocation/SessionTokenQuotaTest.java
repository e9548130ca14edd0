package dev.tokenservice.revocation;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A session's access tokens revoked one by one (RFC 7009): up to the quota (5) each is revoked alone and the
 * session lives on; the next revokes the session; tokens of a revoked session write nothing more. So one login can
 * make the nodes hold at most six revocations, however many tokens its refreshes mint.
 */
@QuarkusTest
class SessionTokenQuotaTest {

    @Inject
    RedisDataSource redis;

    @Test
    void pastItsQuotaASessionIsRevokedWholeAndItsOtherTokensAddNothing() {
        Tokens session = newSession();
        String refreshToken = session.refreshToken();
        List<String> accessTokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Response pair = refresh(refreshToken).then().statusCode(200).extract().response();
            accessTokens.add(pair.path("access_token"));
            refreshToken = pair.path("refresh_token");
        }
        Set<String> subjects = new HashSet<>();
        accessTokens.forEach(token -> subjects.add(claim(token, "jti")));
        subjects.add(claim(session.accessToken(), "sid"));
        String start = StreamEntries.head(redis);

        for (int i = 0; i < 5; i++) {
            revoke(accessTokens.get(i));
            assertEquals(401, greeting(accessTokens.get(i)).statusCode());
        }
        assertEquals(200, greeting(accessTokens.get(5)).statusCode(), "five single revocations leave the session");
        refreshToken = refresh(refreshToken).then().statusCode(200).extract().path("refresh_token");

        revoke(accessTokens.get(5));
        assertEquals(401, refresh(refreshToken).statusCode(), "the sixth revokes the session");
        for (String token : accessTokens.subList(5, 20)) {
            revoke(token);
            assertEquals(401, greeting(token).statusCode());
        }
        int entries = StreamEntries.countAfter(redis, start, subjects);
        System.out.printf("20 access tokens of one session revoked one by one: %d stream entries%n", entries);
        assertEquals(7, entries, "five tokens, the sixth token and the session");
    }

    private static void revoke(String token) {
        json().body(Map.of("token", token)).post("/auth/revoke").then().statusCode(200);
    }

    private static String claim(String accessToken, String name) {
        return TokenParts.claims(accessToken).getString(name);
    }
}
