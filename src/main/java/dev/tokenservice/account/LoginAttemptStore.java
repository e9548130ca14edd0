package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.revocation.RevocationUnavailableException;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Failed-login counters in Redis, so that every node counts together: one per canonical username (whether or
 * not the account exists) and one per client address, each for a fixed window from its first failure.
 */
@ApplicationScoped
public class LoginAttemptStore {

    private static final String USER_PREFIX = "auth:login-failures:user:";
    private static final String ADDRESS_PREFIX = "auth:login-failures:addr:";
    /** Returns the TTL of the first key at or over its limit, or -1 when both are under. */
    private static final String CHECK = """
            for i, key in ipairs(KEYS) do
              local count = tonumber(redis.call('GET', key) or '0')
              if count >= tonumber(ARGV[i]) then
                return redis.call('TTL', key)
              end
            end
            return -1
            """;
    private static final String RECORD_FAILURE = """
            for _, key in ipairs(KEYS) do
              if redis.call('INCR', key) == 1 then
                redis.call('EXPIRE', key, ARGV[1])
              end
            end
            return 1
            """;

    private final RedisDataSource redis;
    private final int maxFailures;
    private final int maxFailuresPerAddress;
    private final Duration window;

    public LoginAttemptStore(RedisDataSource redis, TokenConfig config) {
        this.redis = redis;
        this.maxFailures = config.login().maxFailures();
        this.maxFailuresPerAddress = config.login().maxFailuresPerAddress();
        this.window = config.login().window();
    }

    /** Throws when the username or the address has used up its failures for the window. */
    public void checkAllowed(String username, String address) {
        Response ttl = call(() -> redis.execute("EVAL", CHECK, "2", userKey(username), ADDRESS_PREFIX + address,
                Integer.toString(maxFailures), Integer.toString(maxFailuresPerAddress)));
        long seconds = ttl.toLong();
        if (seconds != -1) {
            throw new TooManyLoginAttemptsException(Math.max(1, seconds));
        }
    }

    public void recordFailure(String username, String address) {
        call(() -> redis.execute("EVAL", RECORD_FAILURE, "2", userKey(username), ADDRESS_PREFIX + address,
                Long.toString(window.toSeconds())));
    }

    /** A successful login clears the username's failures (not the address's). */
    public void recordSuccess(String username) {
        call(() -> redis.execute("DEL", userKey(username)));
    }

    private static String userKey(String username) {
        String canonical;
        try {
            canonical = Username.of(username).canonical();
        } catch (InvalidUsernameException e) {
            canonical = username;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return USER_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response call(Supplier<Response> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
    }
}
