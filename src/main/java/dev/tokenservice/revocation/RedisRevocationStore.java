package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.smallrye.mutiny.Uni;

/** {@link RevocationStore} in Redis: one {@code MGET} per check, plain keys with a TTL per revocation. */
@ApplicationScoped
public class RedisRevocationStore implements RevocationStore {

    static final String TOKEN_PREFIX = "auth:revoked:jti:";
    static final String SESSION_PREFIX = "auth:revoked:sid:";
    static final String USER_PREFIX = "auth:revoked-before:";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    /** Raises a user's cut-off, never lowers it, whatever order nodes write in. */
    private static final String RAISE_CUTOFF = """
            local current = redis.call('GET', KEYS[1])
            if (not current) or tonumber(current) < tonumber(ARGV[1]) then
              redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            end
            return 1
            """;

    private final ReactiveValueCommands<String, String> reactiveValues;
    private final ValueCommands<String, String> values;
    private final RedisDataSource redis;
    private final Clock clock;
    private final Duration clockSkew;
    private final Duration accessTokenHorizon;

    public RedisRevocationStore(ReactiveRedisDataSource reactive, RedisDataSource redis, Clock clock,
            TokenConfig config) {
        this.reactiveValues = reactive.value(String.class);
        this.values = redis.value(String.class);
        this.redis = redis;
        this.clock = clock;
        this.clockSkew = config.clockSkew();
        this.accessTokenHorizon = config.accessToken().lifetime().plus(config.clockSkew());
    }

    @Override
    public Uni<Boolean> isRevoked(String jti, String sessionId, String userId, Instant issuedAt) {
        String tokenKey = TOKEN_PREFIX + jti;
        String sessionKey = SESSION_PREFIX + sessionId;
        String userKey = USER_PREFIX + userId;
        return reactiveValues.mget(tokenKey, sessionKey, userKey)
                .ifNoItem().after(CHECK_TIMEOUT).fail()
                .onFailure().transform(RevocationUnavailableException::new)
                .map(found -> isRevoked(found, tokenKey, sessionKey, userKey, issuedAt));
    }

    private static boolean isRevoked(Map<String, String> found, String tokenKey, String sessionKey, String userKey,
            Instant issuedAt) {
        if (found.get(tokenKey) != null || found.get(sessionKey) != null) {
            return true;
        }
        String cutoff = found.get(userKey);
        return cutoff != null && issuedAt.getEpochSecond() < Long.parseLong(cutoff);
    }

    @Override
    public void revokeToken(String jti, Instant expiresAt) {
        Duration remaining = Duration.between(clock.instant(), expiresAt).plus(clockSkew);
        if (remaining.isNegative() || remaining.isZero()) {
            return;
        }
        write(() -> {
            values.setex(TOKEN_PREFIX + jti, Math.max(1, remaining.toSeconds()), "1");
            return null;
        });
    }

    @Override
    public void revokeSessions(Collection<UUID> sessionIds) {
        write(() -> {
            for (UUID id : sessionIds) {
                values.setex(SESSION_PREFIX + id, accessTokenHorizon.toSeconds(), "1");
            }
            return null;
        });
    }

    @Override
    public void revokeUser(UUID userId, Instant before) {
        write(() -> redis.execute("EVAL", RAISE_CUTOFF, "1", USER_PREFIX + userId,
                Long.toString(before.getEpochSecond()), Long.toString(accessTokenHorizon.toSeconds())));
    }

    private static <T> T write(Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
    }
}
