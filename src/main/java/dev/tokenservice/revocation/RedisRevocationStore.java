package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.token.TokenConfig;
import io.smallrye.mutiny.Uni;

/**
 * {@link RevocationStore} over Redis. A revocation is written as a key with a TTL and, in the same script,
 * appended to the {@value RevocationKeys#STREAM} stream that every node tails into memory ({@link RevocationWriter});
 * the stream is trimmed to one access-token lifetime. Checks read only this node's mirror: no Redis call per
 * request. Every key shares one hash slot ({@link RevocationKeys}), so the script runs on Redis Cluster too.
 * <p>
 * Redis is how revocations travel, not the only place they live: PostgreSQL holds each one before Redis is
 * written (sessions in their rows, the rest in the {@link RevocationLedger}), and {@link RevocationRestore} writes
 * them back when Redis has lost data.
 */
@ApplicationScoped
public class RedisRevocationStore implements RevocationStore {

    private final RevocationMirror mirror;
    private final Clock clock;
    private final Duration clockSkew;
    private final Duration horizon;
    private final int minReplicas;
    private final RevocationLedger ledger;
    private final RevocationWriter writer;

    public RedisRevocationStore(RevocationMirror mirror, Clock clock, TokenConfig config, RevocationLedger ledger,
            RevocationWriter writer) {
        this.mirror = mirror;
        this.clock = clock;
        this.clockSkew = config.clockSkew();
        this.horizon = config.accessToken().lifetime().plus(config.clockSkew());
        this.minReplicas = config.revocation().minReplicas();
        this.ledger = ledger;
        this.writer = writer;
    }

    @Override
    public Uni<Boolean> isRevoked(UUID jti, UUID sessionId, UUID userId, Instant issuedAt) {
        if (!mirror.isCurrent()) {
            return Uni.createFrom().failure(new RevocationUnavailableException(
                    new IllegalStateException("revocation mirror is stale")));
        }
        return Uni.createFrom().item(mirror.index().isRevoked(jti, sessionId, userId, issuedAt.getEpochSecond()));
    }

    @Override
    public boolean isCertainlyLive(UUID jti, UUID sessionId, UUID userId, Instant issuedAt) {
        return mirror.isCurrent() && !mirror.index().isRevoked(jti, sessionId, userId, issuedAt.getEpochSecond());
    }

    @Override
    public boolean revokeToken(UUID jti, Instant expiresAt) {
        return write(tokenEvents(jti, expiresAt)) > 0;
    }

    @Override
    public void revokeTokenAndSession(UUID jti, Instant expiresAt, UUID sessionId) {
        List<RevocationEvent> events = new ArrayList<>(tokenEvents(jti, expiresAt));
        events.addAll(sessionEvents(List.of(sessionId)));
        write(events);
    }

    /** The token's revocation, or none once the token can no longer be accepted anyway. */
    private List<RevocationEvent> tokenEvents(UUID jti, Instant expiresAt) {
        Instant until = expiresAt.plus(clockSkew);
        if (!until.isAfter(clock.instant())) {
            return List.of();
        }
        return List.of(new RevocationEvent(RevocationEvent.TOKEN, jti, until.getEpochSecond(), 0));
    }

    @Override
    public int revokeSessions(Collection<UUID> sessionIds) {
        return write(sessionEvents(sessionIds));
    }

    @Override
    public void revokeUser(UUID userId, Collection<UUID> sessionIds, Instant before) {
        List<RevocationEvent> events = new ArrayList<>(sessionEvents(sessionIds));
        events.add(new RevocationEvent(RevocationEvent.USER, userId, horizonEnd(), before.getEpochSecond()));
        write(events);
    }

    @Override
    public void announceKeyChange() {
        write(List.of(new RevocationEvent(RevocationEvent.KEYS, UUID.randomUUID(), horizonEnd(), 0)));
    }

    private List<RevocationEvent> sessionEvents(Collection<UUID> sessionIds) {
        long until = horizonEnd();
        return sessionIds.stream().map(id -> new RevocationEvent(RevocationEvent.SESSION, id, until, 0)).toList();
    }

    private long horizonEnd() {
        return clock.instant().plus(horizon).getEpochSecond();
    }

    /**
     * Records the revocations this node does not hold yet in PostgreSQL (in the caller's transaction, if any), then
     * writes them to Redis in one script: acknowledged together, or not at all. What the mirror already holds is
     * in both already, so revoking it again writes nothing and announces nothing. Returns how many were written.
     */
    private int write(List<RevocationEvent> events) {
        List<RevocationEvent> fresh = events.stream().filter(event -> !mirror.holds(event)).toList();
        if (!fresh.isEmpty()) {
            ledger.record(fresh);
            writer.write(fresh, minReplicas);
        }
        return fresh.size();
    }

    /**
     * Writes revocations that PostgreSQL holds back into Redis after it lost them, without waiting for replicas:
     * PostgreSQL keeps them whatever happens to this write, and the restore runs again after the next failover.
     * Entries Redis still holds are left as they are.
     */
    void restore(List<RevocationEvent> events) {
        writer.write(events, 0);
    }
}
