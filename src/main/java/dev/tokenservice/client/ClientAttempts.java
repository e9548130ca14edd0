package dev.tokenservice.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.tokenservice.Sha256;
import dev.tokenservice.revocation.RevocationUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

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
     * ARGV: their limits, the window in seconds. Gives the seconds to wait when a counter has reached its limit.
     */
    private static final String LOCKED = """
            local function locked()
              for i = 1, #KEYS do
                if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
                  return math.max(redis.call('TTL', KEYS[i]), 1)
                end
              end
              return -1
            end
            """;
    /**
     * Unless locked, counts one failure on each counter. Returns the seconds to wait alone, or -1 followed by the
     * positions (1: the address, 2: the pair) of the counters this failure took to their limit.
     */
    private static final String FAIL = LOCKED + """
            local wait = locked()
            if wait ~= -1 then
              return {wait}
            end
            local counted = {-1}
            for i = 1, #KEYS do
              local failed = redis.call('INCR', KEYS[i])
              if failed == 1 then
                redis.call('EXPIRE', KEYS[i], ARGV[3])
              end
              if failed == tonumber(ARGV[i]) then
                counted[#counted + 1] = i
              end
            end
            return counted
            """;
    /** Unless locked, clears the pair's failures (the right secret ends them) and returns -1. */
    private static final String ADMIT = LOCKED + """
            local wait = locked()
            if wait ~= -1 then
              return wait
            end
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
     * Counts a wrong secret for the address and, for a registered id, for the id from that address, unless a limit
     * was already reached: then the failure only tells the seconds to wait.
     */
    Failure fail(String address, String registeredId) {
        Response counted = eval(FAIL, address, registeredId);
        boolean lockedAddress = false;
        boolean lockedClient = false;
        for (int i = 1; i < counted.size(); i++) {
            lockedAddress |= counted.get(i).toInteger() == 1;
            lockedClient |= counted.get(i).toInteger() == 2;
        }
        return new Failure(counted.get(0).toLong(), lockedAddress, lockedClient);
    }

    /** Whether the right secret may pass: -1, or the seconds to wait while the address or the pair is locked. */
    long admit(String address, String registeredId) {
        return eval(ADMIT, address, registeredId).toLong();
    }

    /**
     * A wrong secret: the seconds to wait when it was refused uncounted (-1 when counted), and whether counting it
     * took the address's or the (client, address) pair's failures to their limit.
     */
    record Failure(long retryAfter, boolean lockedAddress, boolean lockedClient) {
    }

    private Response eval(String script, String address, String registeredId) {
        String tag = "{" + address + "}";
        List<String> command = new ArrayList<>(List.of(script, registeredId == null ? "1" : "2", PREFIX + "addr:" + tag));
        if (registeredId != null) {
            command.add(PREFIX + "pair:" + tag + ":" + B64URL.encodeToString(Sha256.of(registeredId)));
        }
        command.addAll(List.of(Integer.toString(maxFailuresPerAddress), Integer.toString(maxFailuresPerClient),
                Long.toString(window.toSeconds())));
        try {
            return redis.execute("EVAL", command.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw new RevocationUnavailableException(e);
        }
    }
}
