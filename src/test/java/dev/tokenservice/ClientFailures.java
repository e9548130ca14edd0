package dev.tokenservice;

import io.quarkus.redis.datasource.RedisDataSource;

/**
 * The test clients' ids are fixed by configuration, so their failed-authentication counters outlive a test (for
 * the whole window, 15 minutes under the default profile); tests with small limits forget them first.
 */
public final class ClientFailures {

    private static final String FORGET = """
            for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
              redis.call('DEL', key)
            end
            return 1
            """;

    private ClientFailures() {
    }

    public static void forget(RedisDataSource redis) {
        redis.execute("EVAL", FORGET, "0", "auth:client-failures:*");
    }
}
