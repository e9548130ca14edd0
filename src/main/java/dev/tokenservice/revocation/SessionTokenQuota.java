package dev.tokenservice.revocation;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Counts the access tokens of each session revoked one by one (RFC 7009), across all nodes, for one access-token
 * lifetime: a session's tokens are cheap to mint by refreshing, and each single revocation is held in every node's
 * memory until the token expires, so past {@code auth.revocation.max-tokens-per-session} the session is revoked
 * instead. The counter's key expires with the last token it counted.
 */
@ApplicationScoped
public class SessionTokenQuota {

    private static final String PREFIX = "auth:session-token-revocations:";
    /** KEYS: the session's counter. ARGV: its lifetime in seconds. Returns the count, this revocation included. */
    private static final String COUNT = """
            local count = redis.call('INCR', KEYS[1])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            return count
            """;

    private final RedisDataSource redis;
    private final int maxTokens;
    private final Duration horizon;

    public SessionTokenQuota(RedisDataSource redis, TokenConfig config) {
        this.redis = redis;
        this.maxTokens = config.revocation().maxTokensPerSession();
        this.horizon = config.accessToken().lifetime().plus(config.clockSkew());
    }

    /** Counts one more revoked token of the session; true once the session is past its quota. */
    public boolean exceededBy(UUID sessionId) {
        try {
            return redis.execute("EVAL", COUNT, "1", PREFIX + "{" + sessionId + "}", Long.toString(horizon.toSeconds()))
                    .toLong() > maxTokens;
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
    }
}
