package dev.tokenservice.event;

import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;

/** A replayed refresh token is one reuse event naming the session it revokes, and one revocation of it. */
@QuarkusTest
class RefreshReuseEventTest {

    @Inject
    AdjustableClock clock;

    @Inject
    EventRows rows;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aReplayAfterTheGraceIsOneReuseEvent() {
        Tokens tokens = newSession();
        String sid = TokenParts.claims(tokens.accessToken()).getString("sid");
        String successor = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        refresh(successor).then().statusCode(200);
        assertEquals(0, rows.count("refresh.reuse_detected", "session_id", sid));
        clock.advance(Duration.ofSeconds(11));

        assertInvalidToken(refresh(tokens.refreshToken()));
        assertInvalidToken(refresh(tokens.refreshToken()));
        assertInvalidToken(refresh(successor));

        assertEquals(1, rows.count("refresh.reuse_detected", "session_id", sid));
        assertEquals(1, rows.count("session.revoked", "session_id", sid));
        assertEquals("{\"reason\": \"refresh_reuse\"}", rows.newestDetail("session.revoked", "session_id", sid));
        assertEquals(1, rows.count("refresh.reuse_detected", "user_id", TokenParts.claims(tokens.accessToken())
                .getString("sub")));
    }
}
