package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
 * Attempts are admitted before their password is checked: {@link #reserve} compares failures <em>plus attempts
 * in flight</em> with the limit and, in the same atomic script, counts the new attempt as in flight, so a burst
 * of concurrent attempts gets no more password checks than the limit. The outcome then moves it: a failure into
 * the window's failures ({@link #recordFailure}), a success clears the username's failures
 * ({@link #recordSuccess}), an attempt that checked no password is simply dropped ({@link #release}). A
 * reservation whose outcome never arrives (the node died) expires with its in-flight counter.
 */
@ApplicationScoped
public class LoginAttemptStore {

    private static final String USER_PREFIX = "auth:login-failures:user:";
    private static final String ADDRESS_PREFIX = "auth:login-failures:addr:";
    private static final String IN_FLIGHT = ":in-flight";
    private static final long IN_FLIGHT_SECONDS = 60;
    /**
     * KEYS: the username's failures and attempts in flight, then the address's. ARGV: the two limits, the
     * in-flight expiry. Returns -1 once admitted, or the seconds to wait: the window's rest when the failures
     * alone are at the limit, 1 when attempts in flight fill it.
     */
    private static final String RESERVE = """
            local function wait(failures, inflight, limit)
              local failed = tonumber(redis.call('GET', failures) or '0')
              if failed >= limit then
                return math.max(redis.call('TTL', failures), 1)
              end
              if failed + tonumber(redis.call('GET', inflight) or '0') >= limit then
                return 1
              end
              return 0
            end
            local seconds = wait(KEYS[1], KEYS[2], tonumber(ARGV[1]))
            if seconds == 0 then
              seconds = wait(KEYS[3], KEYS[4], tonumber(ARGV[2]))
            end
            if seconds > 0 then
              return seconds
            end
            for _, inflight in ipairs({ KEYS[2], KEYS[4] }) do
              redis.call('INCR', inflight)
              redis.call('EXPIRE', inflight, ARGV[3])
            end
            return -1
            """;
    /** KEYS as for RESERVE. ARGV: 'success', 'failure' or 'release', then the window in seconds. */
    private static final String OUTCOME = """
            for _, inflight in ipairs({ KEYS[2], KEYS[4] }) do
              if tonumber(redis.call('GET', inflight) or '0') > 1 then
                redis.call('DECR', inflight)
              else
                redis.call('DEL', inflight)
              end
            end
            if ARGV[1] == 'success' then
              redis.call('DEL', KEYS[1])
            elseif ARGV[1] == 'failure' then
              for _, failures in ipairs({ KEYS[1], KEYS[3] }) do
                if redis.call('INCR', failures) == 1 then
                  redis.call('EXPIRE', failures, ARGV[2])
                end
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
     * Admits one password check for the username and the address, unless their failures and attempts in flight
     * have reached a limit: then nothing is counted and {@link TooManyLoginAttemptsException} is thrown.
     */
    public void reserve(String username, String address) {
        long seconds = eval(RESERVE, username, address, Integer.toString(maxFailures),
                Integer.toString(maxFailuresPerAddress), Long.toString(IN_FLIGHT_SECONDS)).toLong();
        if (seconds != -1) {
            throw new TooManyLoginAttemptsException(seconds);
        }
    }

    /** The password was wrong: a failure of the username and of the address for the window. */
    public void recordFailure(String username, String address) {
        eval(OUTCOME, username, address, "failure", Long.toString(window.toSeconds()));
    }

    /** The password was right: the username's failures are cleared. */
    public void recordSuccess(String username, String address) {
        eval(OUTCOME, username, address, "success", Long.toString(window.toSeconds()));
    }

    /** The admitted attempt checked no password (the node was busy, a store failed): it counts for nothing. */
    public void release(String username, String address) {
        eval(OUTCOME, username, address, "release", Long.toString(window.toSeconds()));
    }

    private Response eval(String script, String username, String address, String... args) {
        String user = userKey(username);
        String client = addressKey(address);
        List<String> command = new ArrayList<>(List.of(script, "4", user, user + IN_FLIGHT, client, client + IN_FLIGHT));
        command.addAll(List.of(args));
        return call(() -> redis.execute("EVAL", command.toArray(String[]::new)));
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
