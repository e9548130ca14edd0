package dev.tokenservice.session;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.newSession;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api;
import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Sessions that ended longer than an access-token lifetime (15 minutes) and the skew ago go, with their refresh
 * tokens; live ones and ones ended more recently stay.
 */
@QuarkusTest
class SessionPurgeTest {

    @Inject
    AdjustableClock clock;

    @Inject
    SessionPurge purge;

    @Inject
    EntityManager entityManager;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void sessionsEndedBeyondTheAccessTokenLifetimeArePurgedWithTheirRefreshTokens() {
        clock.advance(Duration.ofMinutes(-20));
        Tokens loggedOutLongAgo = newSession();
        Api.refresh(loggedOutLongAgo.refreshToken()).then().statusCode(200);
        bearer(loggedOutLongAgo.accessToken()).post("/auth/logout").then().statusCode(204);
        clock.reset();
        clock.advance(Duration.ofDays(-31));
        Tokens expired = newSession();
        clock.reset();
        Tokens loggedOutNow = newSession();
        bearer(loggedOutNow.accessToken()).post("/auth/logout").then().statusCode(204);
        Tokens live = newSession();

        purge.purge();

        assertEquals(0, rows(loggedOutLongAgo), "a session logged out 20 minutes ago and its two refresh tokens");
        assertEquals(0, rows(expired), "a session past its 30 days");
        assertEquals(2, rows(loggedOutNow), "a session logged out now: its access token could still be presented");
        assertEquals(2, rows(live), "a live session");
        Api.refresh(live.refreshToken()).then().statusCode(200);
        Api.refresh(loggedOutLongAgo.refreshToken()).then().statusCode(401);
    }

    /** The session's row and its refresh tokens' rows. */
    private long rows(Tokens tokens) {
        UUID session = UUID.fromString(TokenParts.claims(tokens.accessToken()).getString("sid"));
        return QuarkusTransaction.requiringNew().call(() -> (Long) entityManager.createQuery(
                "select count(s) from AuthSession s where s.id = ?1").setParameter(1, session).getSingleResult()
                + (Long) entityManager.createQuery("select count(t) from RefreshToken t where t.session.id = ?1")
                        .setParameter(1, session).getSingleResult());
    }
}
