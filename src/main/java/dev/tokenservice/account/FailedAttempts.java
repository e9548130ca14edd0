package dev.tokenservice.account;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import dev.tokenservice.Sha256;
import dev.tokenservice.revocation.RevocationUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Failed-attempt counters in Redis, so that every node counts together: one per name (a username, a client id)
 * and one per client address under a key prefix, each for a fixed window from its first failure.
 * <p>
 * Attempts are admitted before their secret is checked: {@link #reserve} compares failures <em>plus attempts
 * in flight</em> with the limit and, in the same atomic script, counts the new attempt as in flight, so a burst
 * of concurrent attempts gets no more secret checks than the limit. The outcome then moves it: a failure into
 * the window's failures ({@link #recordFailure}), a success clears the name's failures ({@link #recordSuccess}),
 * an attempt that checked nothing is simply dropped ({@link #release}). A reservation whose outcome never
 * arrives (the node died) expires with its in-flight counter.
 */
public class FailedAttempts {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String IN_FLIGHT = ":in-flight";
    private static final long IN_FLIGHT_SECONDS = 60;
    /**
     * KEYS: the name's failures and attempts in flight, then the address's. ARGV: the two limits, the
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
    private final String namePrefix;
    private final String addressPrefix;
    private final int maxFailures;
    private final int maxFailuresPerAddress;
    private final Duration window;

    public FailedAttempts(RedisDataSource redis, String namePrefix, String addressPrefix, int maxFailures,
            int maxFailuresPerAddress, Duration window) {
        this.redis = redis;
        this.namePrefix = namePrefix;
        this.addressPrefix = addressPrefix;
        this.maxFailures = maxFailures;
        this.maxFailuresPerAddress = maxFailuresPerAddress;
        this.window = window;
    }

    /**
     * Admits one secret check for the name and the address unless their failures and attempts in flight have
     * reached a limit: then nothing is counted. Returns -1 once admitted, otherwise the seconds to wait.
     */
    public long reserve(String name, String address) {
        return eval(RESERVE, name, address, Integer.toString(maxFailures), Integer.toString(maxFailuresPerAddress),
                Long.toString(IN_FLIGHT_SECONDS)).toLong();
    }

    /** The secret was wrong: a failure of the name and of the address for the window. */
    public void recordFailure(String name, String address) {
        eval(OUTCOME, name, address, "failure", Long.toString(window.toSeconds()));
    }

    /** The secret was right: the name's failures are cleared. */
    public void recordSuccess(String name, String address) {
        eval(OUTCOME, name, address, "success", Long.toString(window.toSeconds()));
    }

    /** The admitted attempt checked no secret (the node was busy, a store failed): it counts for nothing. */
    public void release(String name, String address) {
        eval(OUTCOME, name, address, "release", Long.toString(window.toSeconds()));
    }

    /** Names become keys by their SHA-256, so their size is bounded whatever a client sends. */
    private Response eval(String script, String name, String address, String... args) {
        String nameKey = namePrefix + B64URL.encodeToString(Sha256.of(name));
        String addressKey = addressPrefix + address;
        List<String> command = new ArrayList<>(List.of(script, "4", nameKey, nameKey + IN_FLIGHT, addressKey,
                addressKey + IN_FLIGHT));
        command.addAll(List.of(args));
        return call(() -> redis.execute("EVAL", command.toArray(String[]::new)));
    }

    private static Response call(Supplier<Response> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
    }
}
