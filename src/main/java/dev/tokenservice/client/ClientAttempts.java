package dev.tokenservice.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.tokenservice.Sha256;
import dev.tokenservice.revocation.RevocationUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Failed client authentications in Redis, counted across all nodes per client address and per registered client id
 * from that address, each for a fixed window from its first failure. Never per client id alone: client ids are not
 * secret, so a count per id would let anyone lock a client out.
 * <p>
 * A secret is checked first (a digest comparison, microseconds), then counted: a wrong one adds a failure unless a
 * limit is already reached ({@link #fail}), a right one only reads the counters ({@link #admit}). Nothing is held
 * in flight, so concurrent requests with the right secret are never refused for each other, and a burst of wrong
 * ones gets no more 401s than the limit: the count is compared and raised in one script. Once a limit is reached
 * every attempt gets the same answer, right secret or not, so a guesser learns nothing from it.
 * <p>
 * Both counters of an attempt carry the address as their hash tag, so one script covers them on Redis Cluster.
 * Unknown client ids count against the address alone: the keys an outsider can create are bounded by addresses.
 */
class ClientAttempts {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String PREFIX = "auth:client-failures:";
    /**
     * The common first step of both scripts. KEYS: the address's counter, then the pair's (none for an unknown id).
     * ARGV: their limits, the window in seconds. Returns the seconds to wait when a counter has reached its limit.
     */
    private static final String REFUSE_WHILE_LOCKED = """
            for i = 1, #KEYS do
              if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
                return math.max(redis.call('TTL', KEYS[i]), 1)
              end
            end
            """;
    /** Unless locked, counts one failure on each counter and returns -1. */
    private static final String FAIL = REFUSE_WHILE_LOCKED + """
            for i = 1, #KEYS do
              if redis.call('INCR', KEYS[i]) == 1 then
                redis.call('EXPIRE', KEYS[i], ARGV[3])
              end
            end
            return -1
            """;
    /** Unless locked, clears the pair's failures (the right secret ends them) and returns -1. */
    private static final String ADMIT = REFUSE_WHILE_LOCKED + """
            if #KEYS > 1 then
              redis.call('DEL', KEYS[2])
            end
            return -1
            """;

    private final RedisDataSource redis;
    private final int maxFailuresPerAddress;
    private final int maxFailuresPerClient;
    private final Duration window;

    ClientAttempts(RedisDataSource redis, int maxFailuresPerAddress, int maxFailuresPerClient, Duration window) {
        this.redis = redis;
        this.maxFailuresPerAddress = maxFailuresPerAddress;
        this.maxFailuresPerClient = maxFailuresPerClient;
        this.window = window;
    }

    /**
     * Counts a wrong secret for the address and, for a registered id, for the id from that address. Returns -1 once
     * counted, or the seconds to wait when a limit was already reached.
     */
    long fail(String address, String registeredId) {
        return eval(FAIL, address, registeredId);
    }

    /** Whether the right secret may pass: -1, or the seconds to wait while the address or the pair is locked. */
    long admit(String address, String registeredId) {
        return eval(ADMIT, address, registeredId);
    }

    private long eval(String script, String address, String registeredId) {
        String tag = "{" + address + "}";
        List<String> command = new ArrayList<>(List.of(script, registeredId == null ? "1" : "2", PREFIX + "addr:" + tag));
        if (registeredId != null) {
            command.add(PREFIX + "pair:" + tag + ":" + B64URL.encodeToString(Sha256.of(registeredId)));
        }
        command.addAll(List.of(Integer.toString(maxFailuresPerAddress), Integer.toString(maxFailuresPerClient),
                Long.toString(window.toSeconds())));
        try {
            return redis.execute("EVAL", command.toArray(String[]::new)).toLong();
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
    }
}
