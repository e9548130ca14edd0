package dev.tokenservice.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** The ledger keeps the latest of repeated revocations and purges what can no longer matter. */
@QuarkusTest
class RevocationLedgerTest {

    @Inject
    RevocationLedger ledger;

    @Inject
    LedgerPurge purge;

    @Inject
    EntityManager entityManager;

    @Test
    void repeatedRevocationsKeepTheLatestAndExpiredOnesArePurged() {
        long now = Instant.now().getEpochSecond();
        UUID live = UUID.randomUUID();
        UUID expired = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID expiredUser = UUID.randomUUID();
        ledger.record(List.of(token(live, now + 600), token(expired, now - 60),
                cutoff(user, now - 10, now + 600), cutoff(expiredUser, now - 900, now - 1)));
        ledger.record(List.of(token(live, now + 300), cutoff(user, now - 20, now + 900),
                cutoff(user, now - 5, now + 60)));

        List<RevocationEvent> held = ledger.live();
        assertTrue(held.contains(token(live, now + 600)), "a later until is kept");
        assertTrue(held.contains(cutoff(user, now - 5, now + 900)), "cut-off and until only move forward");
        assertTrue(held.stream().noneMatch(event -> event.subject().equals(expired)
                || event.subject().equals(expiredUser)), "what no longer matters is not restored");

        int deleted = purge.purge();
        System.out.printf("RevocationLedgerTest: purge deleted %d rows%n", deleted);
        assertEquals(0, count("revoked_access_token", "jti", expired));
        assertEquals(0, count("user_revocation_cutoff", "user_id", expiredUser));
        assertEquals(1, count("revoked_access_token", "jti", live));
        assertEquals(1, count("user_revocation_cutoff", "user_id", user));
    }

    private long count(String table, String column, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select count(*) from {h-schema}" + table + " where " + column + " = :id")
                .setParameter("id", id).getSingleResult()).longValue());
    }

    private static RevocationEvent token(UUID jti, long until) {
        return new RevocationEvent(RevocationEvent.TOKEN, jti, until, 0);
    }

    private static RevocationEvent cutoff(UUID user, long before, long until) {
        return new RevocationEvent(RevocationEvent.USER, user, until, before);
    }
}
