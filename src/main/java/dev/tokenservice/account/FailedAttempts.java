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
 * <p>
 * A counter's two keys share a hash slot ({@code {...}} hash tags), so on Redis Cluster the counters of different
 * names and addresses spread over the masters. Each script therefore covers one counter: the address is reserved
 * first, then the name, and the address's reservation is given back when the name refuses. Each limit holds
 * atomically on its own; what is not atomic across the two is only that a concurrent attempt from the same
 * address may briefly see a reservation that is being given back (a 429 with {@code Retry-After: 1}, never an
 * extra secret check), and that a node dying between the two scripts of an outcome counts a failure against one
 * of them only (an address reservation left behind expires).
 */
public class FailedAttempts {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String IN_FLIGHT = ":in-flight";
    private static final long IN_FLIGHT_SECONDS = 60;
    /**
     * KEYS: one counter's failures and attempts in flight. ARGV: its limit, the in-flight expiry. Returns -1 once
     * admitted, or the seconds to wait: the window's rest when the failures alone are at the limit, 1 when
     * attempts in flight fill it.
     */
    private static final String RESERVE = """
            local failed = tonumber(redis.call('GET', KEYS[1]) or '0')
            if failed >= tonumber(ARGV[1]) then
              return math.max(redis.call('TTL', KEYS[1]), 1)
            end
            if failed + tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[1]) then
              return 1
            end
            redis.call('INCR', KEYS[2])
            redis.call('EXPIRE', KEYS[2], ARGV[2])
            return -1
            """;
    /**
     * KEYS as for RESERVE. ARGV: 'success' (the failures are cleared), 'failure' or 'release', the window in
     * seconds, the limit. Returns the seconds to wait when this failure took the failures to the limit (only one
     * failure of a window can), otherwise -1.
     */
    private static final String OUTCOME = """
            if tonumber(redis.call('GET', KEYS[2]) or '0') > 1 then
              redis.call('DECR', KEYS[2])
            else
              redis.call('DEL', KEYS[2])
            end
            if ARGV[1] == 'success' then
              redis.call('DEL', KEYS[1])
            elseif ARGV[1] == 'failure' then
              local failed = redis.call('INCR', KEYS[1])
              if failed == 1 then
                redis.call('EXPIRE', KEYS[1], ARGV[2])
              end
              if failed == tonumber(ARGV[3]) then
                return math.max(redis.call('TTL', KEYS[1]), 1)
              end
            end
            return -1
            """;
    private static final String SUCCESS = "success";
    private static final String FAILURE = "failure";
    private static final String RELEASE = "release";

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
        String client = addressKey(address);
        long seconds = reserve(client, maxFailuresPerAddress);
        if (seconds != -1) {
            return seconds;
        }
        try {
            seconds = reserve(nameKey(name), maxFailures);
        } catch (RevocationUnavailableException e) {
            outcome(client, RELEASE, maxFailuresPerAddress);
            throw e;
        }
        if (seconds != -1) {
            outcome(client, RELEASE, maxFailuresPerAddress);
        }
        return seconds;
    }

    /**
     * The secret was wrong: a failure of the name and of the address for the window. Returns the lockouts this very
     * failure began: a counter that it took to its limit (at most one failure per counter and window does).
     */
    public List<Lockout> recordFailure(String name, String address) {
        long byName = outcome(nameKey(name), FAILURE, maxFailures);
        long byAddress = outcome(addressKey(address), FAILURE, maxFailuresPerAddress);
        List<Lockout> lockouts = new ArrayList<>(2);
        if (byName != -1) {
            lockouts.add(new Lockout(true, byName));
        }
        if (byAddress != -1) {
            lockouts.add(new Lockout(false, byAddress));
        }
        return lockouts;
    }

    /** The secret was right: the name's failures are cleared. */
    public void recordSuccess(String name, String address) {
        outcome(nameKey(name), SUCCESS, maxFailures);
        outcome(addressKey(address), RELEASE, maxFailuresPerAddress);
    }

    /** The admitted attempt checked no secret (the node was busy, a store failed): it counts for nothing. */
    public void release(String name, String address) {
        outcome(nameKey(name), RELEASE, maxFailures);
        outcome(addressKey(address), RELEASE, maxFailuresPerAddress);
    }

    private long reserve(String counter, int limit) {
        return eval(RESERVE, counter, Integer.toString(limit), Long.toString(IN_FLIGHT_SECONDS));
    }

    private long outcome(String counter, String outcome, int limit) {
        return eval(OUTCOME, counter, outcome, Long.toString(window.toSeconds()), Integer.toString(limit));
    }

    /** Runs a script over one counter: its failures key and its in-flight key, which share a hash slot. */
    private long eval(String script, String counter, String... args) {
        List<String> command = new ArrayList<>(List.of(script, "2", counter, counter + IN_FLIGHT));
        command.addAll(List.of(args));
        return call(() -> redis.execute("EVAL", command.toArray(String[]::new))).toLong();
    }

    /** The address's counter, tagged so its keys share a slot. */
    private String addressKey(String address) {
        return addressPrefix + "{" + address + "}";
    }

    /** A name's counter: its SHA-256, so the key's size is bounded whatever a client sends, tagged likewise. */
    private String nameKey(String name) {
        return namePrefix + "{" + B64URL.encodeToString(Sha256.of(name)) + "}";
    }

    /** A counter reached its limit: the name's ({@code byName}) or the address's, for {@code retryAfter} seconds. */
    public record Lockout(boolean byName, long retryAfter) {
    }

    private static Response call(Supplier<Response> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
    }
}
