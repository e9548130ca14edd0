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
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * {@link RevocationStore} over Redis. A revocation is written as a key with a TTL and, in the same script,
 * appended to the {@value RevocationMirror#STREAM} stream that every node tails into memory; the stream is
 * trimmed to one access-token lifetime. Checks read only this node's mirror: no Redis call per request.
 */
@ApplicationScoped
public class RedisRevocationStore implements RevocationStore {

    static final String TOKEN_PREFIX = "auth:revoked:jti:";
    static final String SESSION_PREFIX = "auth:revoked:sid:";
    static final String USER_PREFIX = "auth:revoked-before:";
    /**
     * KEYS: the revocation key, the stream. ARGV: value, TTL seconds, stream trim id, then the entry's fields.
     * A user's cut-off only ever moves forward, whatever order nodes write in.
     */
    private static final String REVOKE = """
            local current = redis.call('GET', KEYS[1])
            if (not current) or tonumber(current) < tonumber(ARGV[1]) then
              redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            end
            local entry = {}
            for i = 4, #ARGV do entry[#entry + 1] = ARGV[i] end
            return redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[3], '*', unpack(entry))
            """;

    private final RedisDataSource redis;
    private final RevocationMirror mirror;
    private final Clock clock;
    private final Duration clockSkew;
    private final Duration horizon;

    public RedisRevocationStore(RedisDataSource redis, RevocationMirror mirror, Clock clock, TokenConfig config) {
        this.redis = redis;
        this.mirror = mirror;
        this.clock = clock;
        this.clockSkew = config.clockSkew();
        this.horizon = config.accessToken().lifetime().plus(config.clockSkew());
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
    public void revokeToken(UUID jti, Instant expiresAt) {
        Instant until = expiresAt.plus(clockSkew);
        if (!until.isAfter(clock.instant())) {
            return;
        }
        write(TOKEN_PREFIX + jti, new RevocationEvent(RevocationEvent.TOKEN, jti, until.getEpochSecond(), 0));
    }

    @Override
    public void revokeSessions(Collection<UUID> sessionIds) {
        long until = clock.instant().plus(horizon).getEpochSecond();
        for (UUID id : sessionIds) {
            write(SESSION_PREFIX + id, new RevocationEvent(RevocationEvent.SESSION, id, until, 0));
        }
    }

    @Override
    public void revokeUser(UUID userId, Instant before) {
        long until = clock.instant().plus(horizon).getEpochSecond();
        write(USER_PREFIX + userId,
                new RevocationEvent(RevocationEvent.USER, userId, until, before.getEpochSecond()));
    }

    private void write(String key, RevocationEvent event) {
        long ttl = Math.max(1, event.until() - clock.instant().getEpochSecond());
        String value = RevocationEvent.USER.equals(event.kind()) ? Long.toString(event.before()) : "1";
        List<String> args = new ArrayList<>(List.of(REVOKE, "2", key, RevocationMirror.STREAM, value,
                Long.toString(ttl), (clock.millis() - horizon.toMillis()) + "-0"));
        args.addAll(event.fields());
        try {
            redis.execute("EVAL", args.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
        event.applyTo(mirror.index());
    }
}
