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
 * <p>
 * An attempt is counted <em>before</em> its password is checked: {@link #reserve} decides the limit and counts
 * the attempt as a failure in one atomic script, so a burst of concurrent attempts gets no more password checks
 * than the limit. A correct password then takes its count back ({@link #recordSuccess}); an attempt that never
 * got to check a password (the node was too busy) is handed back with {@link #release}.
 */
@ApplicationScoped
public class LoginAttemptStore {

    private static final String USER_PREFIX = "auth:login-failures:user:";
    private static final String ADDRESS_PREFIX = "auth:login-failures:addr:";
    /**
     * KEYS: the username's and the address's counters. ARGV: their limits, the window in seconds.
     * Returns the TTL of the first counter at its limit (nothing counted), or -1 once both are counted.
     */
    private static final String RESERVE = """
            for i, key in ipairs(KEYS) do
              if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i]) then
                return math.max(redis.call('TTL', key), 1)
              end
            end
            for _, key in ipairs(KEYS) do
              if redis.call('INCR', key) == 1 then
                redis.call('EXPIRE', key, ARGV[3])
              end
            end
            return -1
            """;
    /** KEYS: counters to take one attempt back from; ARGV[1] '1' to clear the first one instead. */
    private static final String GIVE_BACK = """
            for i, key in ipairs(KEYS) do
              if i == 1 and ARGV[1] == '1' then
                redis.call('DEL', key)
              elseif tonumber(redis.call('GET', key) or '0') > 0 then
                redis.call('DECR', key)
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

    /**
     * Counts one failed attempt for the username and the address, unless either has used up its failures for
     * the window: then nothing is counted and {@link TooManyLoginAttemptsException} is thrown.
     */
    public void reserve(String username, String address) {
        long ttl = call(() -> redis.execute("EVAL", RESERVE, "2", userKey(username), addressKey(address),
                Integer.toString(maxFailures), Integer.toString(maxFailuresPerAddress), Long.toString(window.toSeconds())))
                .toLong();
        if (ttl != -1) {
            throw new TooManyLoginAttemptsException(ttl);
        }
    }

    /** The password was right: the username's failures are cleared, and the address gets its attempt back. */
    public void recordSuccess(String username, String address) {
        call(() -> redis.execute("EVAL", GIVE_BACK, "2", userKey(username), addressKey(address), "1"));
    }

    /** The reserved attempt checked no password: both counters get it back. */
    public void release(String username, String address) {
        call(() -> redis.execute("EVAL", GIVE_BACK, "2", userKey(username), addressKey(address), "0"));
    }

    private static String addressKey(String address) {
        return ADDRESS_PREFIX + address;
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
