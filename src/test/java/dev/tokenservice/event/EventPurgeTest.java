package dev.tokenservice.event;

import static dev.tokenservice.Api.newSession;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.test.junit.QuarkusTest;

/** Events past the retention (90 days) are deleted by the purge; younger ones stay. */
@QuarkusTest
class EventPurgeTest {

    @Inject
    AdjustableClock clock;

    @Inject
    EventPurge purge;

    @Inject
    EventRows rows;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void eventsOlderThanTheRetentionArePurged() {
        clock.advance(Duration.ofDays(-91));
        Tokens old = newSession();
        clock.reset();
        Tokens recent = newSession();

        purge.purge();

        assertEquals(0, rows.rowsOf(TokenParts.claims(old.accessToken()).getString("sub")).size());
        assertEquals(2, rows.rowsOf(TokenParts.claims(recent.accessToken()).getString("sub")).size());
    }
}
