package dev.tokenservice.session;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A session's refresh tokens are a chain: each rotation deletes the rows spent before the token it spends, so a
 * session keeps at most two rows, and a token spent long ago is still known for what it is by its tag and its place.
 */
@QuarkusTest
class ChainedRefreshTokensTest {

    @Inject
    EntityManager entityManager;

    @Test
    void aSessionKeepsAtMostTwoRowsHoweverOftenItRotates() {
        Tokens tokens = newSession();
        assertEquals(1, rows(tokens));
        String refreshToken = tokens.refreshToken();
        for (int i = 0; i < 6; i++) {
            refreshToken = refresh(refreshToken).then().statusCode(200).extract().path("refresh_token");
            assertEquals(2, rows(tokens), "after rotation " + (i + 1));
        }
    }

    @Test
    void aTokenSpentLongBeforeStillRevokesItsSessionWhenReplayed() {
        Tokens tokens = newSession();
        String second = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        String third = refresh(second).then().statusCode(200).extract().path("refresh_token");
        var fourth = refresh(third).then().statusCode(200).extract();
        assertEquals(0, row(tokens.refreshToken()) + row(second), "rows of tokens spent before the last spent one");

        assertInvalidToken(refresh(tokens.refreshToken()));

        assertInvalidToken(refresh(fourth.path("refresh_token")));
        assertInvalidToken(greeting(fourth.path("access_token")));
    }

    @Test
    void revokingATokenSpentLongBeforeEndsItsSession() {
        Tokens tokens = newSession();
        String second = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        var third = refresh(second).then().statusCode(200).extract();

        json().body(Map.of("token", tokens.refreshToken())).post("/auth/revoke").then().statusCode(200);

        assertInvalidToken(refresh(third.path("refresh_token")));
        assertInvalidToken(greeting(third.path("access_token")));
    }

    @Test
    void aSpentTokenWithAForgedTagEndsNoSession() {
        Tokens tokens = newSession();
        String second = refresh(tokens.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        String third = refresh(second).then().statusCode(200).extract().path("refresh_token");
        String first = tokens.refreshToken();
        String forgedTag = first.substring(0, 48) + (first.charAt(48) == 'A' ? 'B' : 'A') + first.substring(49);
        UUID session = UUID.fromString(TokenParts.claims(tokens.accessToken()).getString("sid"));
        String forgedBody = RefreshTokens.chained(RefreshTokens.body(session, 1), RefreshTokens.newSessionKey());

        assertInvalidToken(refresh(forgedTag));
        assertInvalidToken(refresh(forgedBody));

        refresh(third).then().statusCode(200);
    }

    @Test
    void aPlainTokenOfASessionOpenedBeforeChainsStillRotatesAndIsKeptForReuseDetection() {
        Tokens tokens = newSession();
        UUID session = sessionOf(tokens);
        String plain = RefreshTokens.plain();
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager.createNativeQuery("update {h-schema}auth_session set refresh_key = null where id = ?1")
                    .setParameter(1, session).executeUpdate();
            entityManager.createNativeQuery("delete from {h-schema}refresh_token where session_id = ?1")
                    .setParameter(1, session).executeUpdate();
            entityManager.createNativeQuery("insert into {h-schema}refresh_token (token_hash, session_id, issued_at)"
                    + " values (?1, ?2, ?3)").setParameter(1, RefreshTokens.hash(plain)).setParameter(2, session)
                    .setParameter(3, Instant.now()).executeUpdate();
        });

        String second = refresh(plain).then().statusCode(200).extract().path("refresh_token");
        String third = refresh(second).then().statusCode(200).extract().path("refresh_token");
        assertEquals(plain.length(), third.length(), "a plain session's successors are plain");
        assertFalse(RefreshTokens.parse(third).chained());
        assertEquals(3, rows(tokens), "a plain session's spent rows stay");

        assertInvalidToken(refresh(plain));
        assertInvalidToken(refresh(third));
    }

    private UUID sessionOf(Tokens tokens) {
        return UUID.fromString(TokenParts.claims(tokens.accessToken()).getString("sid"));
    }

    private long rows(Tokens tokens) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager
                .createQuery("select count(t) from RefreshToken t where t.session.id = ?1", Long.class)
                .setParameter(1, sessionOf(tokens)).getSingleResult());
    }

    private long row(String refreshToken) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager
                .createQuery("select count(t) from RefreshToken t where t.tokenHash = ?1", Long.class)
                .setParameter(1, RefreshTokens.parse(refreshToken).hash()).getSingleResult());
    }
}
