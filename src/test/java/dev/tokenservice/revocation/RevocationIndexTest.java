package dev.tokenservice.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class RevocationIndexTest {

    private final RevocationIndex index = new RevocationIndex();
    private final UUID jti = UUID.randomUUID();
    private final UUID sid = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();

    @Test
    void tokenSessionAndUserRevocationsEachApply() {
        assertFalse(index.isRevoked(jti, sid, user, 1000));
        index.revokeToken(jti, 2000);
        assertTrue(index.isRevoked(jti, UUID.randomUUID(), user, 1000));

        index.revokeSession(sid, 2000);
        assertTrue(index.isRevoked(UUID.randomUUID(), sid, user, 1000));
    }

    @Test
    void aUserCutOffRevokesOnlyEarlierTokensAndOnlyMovesForward() {
        index.revokeUser(user, 1000, 2000);
        assertTrue(index.isRevoked(jti, sid, user, 999));
        assertFalse(index.isRevoked(jti, sid, user, 1000));

        index.revokeUser(user, 500, 2000);
        assertTrue(index.isRevoked(jti, sid, user, 999));
    }

    @Test
    void expiredEntriesAreEvicted() {
        index.revokeToken(jti, 1000);
        index.revokeSession(sid, 3000);
        index.revokeUser(user, 900, 1000);
        index.evictExpired(2000);
        assertEquals(1, index.size());
        assertFalse(index.isRevoked(jti, UUID.randomUUID(), user, 0));
        assertTrue(index.isRevoked(UUID.randomUUID(), sid, user, 0));
    }
}
