package dev.tokenservice.revocation;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Problems.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** A revocation that another node appended to the stream reaches this node's mirror through the tail alone. */
@QuarkusTest
class RevocationMirrorTest {

    @Inject
    RedisDataSource redis;

    @Inject
    RevocationMirror mirror;

    @Test
    void anEntryWrittenByAnotherNodeIsEnforcedHere() throws Exception {
        Tokens tokens = newSession();
        greeting(tokens.accessToken()).then().statusCode(200);

        revokeSessionAsAnotherNode(TokenParts.claims(tokens.accessToken()).getString("sid"));
        awaitRefused(tokens.accessToken());
        assertTrue(mirror.isCurrent());
    }

    @Test
    void unreadableEntriesAreSkippedAndTheTailGoesOn() throws Exception {
        Tokens tokens = newSession();
        redis.execute("XADD", RevocationKeys.STREAM, "*", "kind", "something-else", "id",
                UUID.randomUUID().toString(), "until", "0", "before", "0");
        redis.execute("XADD", RevocationKeys.STREAM, "*", "kind", "token", "id", "not-a-uuid", "until", "x");
        Thread.sleep(200);
        greeting(tokens.accessToken()).then().statusCode(200);
        assertTrue(mirror.isCurrent());
        revokeSessionAsAnotherNode(TokenParts.claims(tokens.accessToken()).getString("sid"));
        awaitRefused(tokens.accessToken());
    }

    private void revokeSessionAsAnotherNode(String sessionId) {
        long until = Instant.now().plusSeconds(900).getEpochSecond();
        redis.execute("XADD", RevocationKeys.STREAM, "*", "kind", "session", "id", sessionId,
                "until", Long.toString(until), "before", "0");
    }

    static void awaitRefused(String accessToken) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(2));
        while (greeting(accessToken).statusCode() == 200) {
            assertTrue(Instant.now().isBefore(deadline), "the stream entry was not applied within 2 s");
            Thread.sleep(10);
        }
        assertInvalidToken(greeting(accessToken));
    }
}
