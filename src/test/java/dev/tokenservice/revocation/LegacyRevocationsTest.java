package dev.tokenservice.revocation;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.revocation.RevocationMirrorTest.awaitRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;

/**
 * An upgrade from the names without hash tags: revocations that a node of the previous version wrote (a key and
 * an entry of the stream {@code auth:revocations}) are enforced here, with the key's TTL and the entry's id kept,
 * and copying again copies nothing.
 */
@QuarkusTest
class LegacyRevocationsTest {

    @Inject
    RedisDataSource redis;

    @Inject
    LegacyRevocations legacy;

    @Test
    void aTokenRevokedUnderTheLegacyNamesIsRefused() throws Exception {
        Tokens tokens = newSession();
        greeting(tokens.accessToken()).then().statusCode(200);
        UUID jti = UUID.fromString(TokenParts.claims(tokens.accessToken()).getString("jti"));
        long until = TokenParts.claims(tokens.accessToken()).getLong("exp") + 5;

        String id = writeAsPreviousVersion("auth:revoked:jti:" + jti, "1", "token", jti, until, 0);

        awaitRefused(tokens.accessToken());
        String key = RevocationKeys.of(RevocationEvent.of(RevocationEvent.TOKEN, jti, until, 0));
        long ttl = redis.execute("TTL", key).toLong();
        assertTrue(ttl > 0 && ttl <= until - Instant.now().getEpochSecond() + 1, "TTL kept: " + ttl);
        Response copied = redis.execute("XRANGE", RevocationKeys.STREAM, id, id);
        assertEquals(1, copied.size(), "the entry keeps its id " + id);
        assertEquals(0, legacy.copy(), "copying again copies nothing");
    }

    @Test
    void aUserCutOffWrittenUnderTheLegacyNamesRefusesEveryEarlierToken() throws Exception {
        Tokens tokens = newSession();
        UUID userId = UUID.fromString(TokenParts.claims(tokens.accessToken()).getString("sub"));
        long before = Instant.now().getEpochSecond() + 1;
        long until = Instant.now().plusSeconds(920).getEpochSecond();

        writeAsPreviousVersion("auth:revoked-before:" + userId, Long.toString(before), "user", userId, until, before);

        awaitRefused(tokens.accessToken());
        assertEquals(Long.toString(before), redis.execute("GET", RevocationKeys.user(userId)).toString());
    }

    /** What a node before the hash tags wrote for one revocation; returns the stream entry's id. */
    private String writeAsPreviousVersion(String key, String value, String kind, UUID subject, long until,
            long before) {
        redis.execute("SET", key, value, "EX", Long.toString(until - Instant.now().getEpochSecond()));
        return redis.execute("XADD", RevocationKeys.Legacy.STREAM, "*", "kind", kind, "id", subject.toString(),
                "until", Long.toString(until), "before", Long.toString(before)).toString();
    }
}
