package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.tokenservice.token.TokenConfig;

/**
 * Rebuilds Redis' revocations from PostgreSQL, the record of every acknowledged one: revoked sessions, single
 * revoked access tokens and users' cut-offs that can still matter. Run by the mirror after Redis lost data
 * (flushed, restarted empty, replaced) or changed master (a failover may drop writes the old master took).
 * It never waits for replicas: PostgreSQL keeps what it writes, and it runs again after the next failover.
 */
@ApplicationScoped
public class RevocationRestore {

    private static final int CHUNK = 500;

    private final Instance<RevocationRecord> sessions;
    private final RevocationLedger ledger;
    private final Instance<RedisRevocationStore> store;
    private final Clock clock;
    private final Duration horizon;

    public RevocationRestore(Instance<RevocationRecord> sessions, RevocationLedger ledger,
            Instance<RedisRevocationStore> store, Clock clock, TokenConfig config) {
        this.sessions = sessions;
        this.ledger = ledger;
        this.store = store;
        this.clock = clock;
        this.horizon = config.accessToken().lifetime().plus(config.clockSkew());
    }

    /** Writes every revocation that still matters back to Redis; returns how many. Blocks. */
    int restore() {
        long until = clock.instant().plus(horizon).getEpochSecond();
        List<RevocationEvent> events = new ArrayList<>(ledger.live());
        sessions.get().sessionsRevokedSince(clock.instant().minus(horizon)).forEach(
                id -> events.add(new RevocationEvent(RevocationEvent.SESSION, id, until, 0)));
        for (int from = 0; from < events.size(); from += CHUNK) {
            store.get().restore(events.subList(from, Math.min(events.size(), from + CHUNK)));
        }
        return events.size();
    }
}
