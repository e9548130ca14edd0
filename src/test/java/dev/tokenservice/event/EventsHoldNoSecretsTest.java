package dev.tokenservice.event;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.login;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** No event row holds a password, a token or a hash, whatever the user did. */
@QuarkusTest
class EventsHoldNoSecretsTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    @Inject
    EventRows rows;

    @Test
    void noRowHoldsAPasswordATokenOrAHash() {
        Tokens tokens = newSession();
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, NEW_PASSWORD, "wrong password guess",
                tokens.accessToken(), tokens.refreshToken(), "$argon2"));
        login(tokens.username(), "wrong password guess");
        String rotated = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        secrets.add(rotated);
        Tokens second = loginAs(tokens.username(), PASSWORD);
        secrets.addAll(List.of(second.accessToken(), second.refreshToken()));
        json().body(Map.of("token", second.refreshToken())).post("/auth/revoke").then().statusCode(200);
        bearer(tokens.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD))
                .post("/auth/password").then().statusCode(204);
        // a password typed into the username field is no account's name, so it is not written either
        login(NEW_PASSWORD, PASSWORD);

        List<String> stored = rows.rowsOf(TokenParts.claims(tokens.accessToken()).getString("sub"));
        assertTrue(stored.size() >= 7, stored.toString());
        for (String row : stored) {
            for (String secret : secrets) {
                assertThat(row, not(containsString(secret)));
            }
            // nor any part of a token: each JWS part, each signature
            for (String part : tokens.accessToken().split("\\.")) {
                assertThat(row, not(containsString(part)));
            }
        }
        assertTrue(rows.count("login.failed", "coalesce(username, '')", NEW_PASSWORD) == 0);
    }
}
