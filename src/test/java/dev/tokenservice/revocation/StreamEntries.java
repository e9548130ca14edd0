package dev.tokenservice.revocation;

import java.util.Set;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/** Counts revocation stream entries by subject, so other writers of the test database do not disturb a count. */
final class StreamEntries {

    private StreamEntries() {
    }

    /** The id of the stream's newest entry, or 0-0. */
    static String head(RedisDataSource redis) {
        Response newest = redis.execute("XREVRANGE", RevocationKeys.STREAM, "+", "-", "COUNT", "1");
        return newest == null || newest.size() == 0 ? "0-0" : newest.get(0).get(0).toString();
    }

    /** Stream entries after {@code start} whose subject is one of {@code subjects}. */
    static int countAfter(RedisDataSource redis, String start, Set<String> subjects) {
        int count = 0;
        for (Response entry : redis.execute("XRANGE", RevocationKeys.STREAM, "(" + start, "+")) {
            Response fields = entry.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("id".equals(fields.get(i).toString()) && subjects.contains(fields.get(i + 1).toString())) {
                    count++;
                }
            }
        }
        return count;
    }
}
