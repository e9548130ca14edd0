package dev.tokenservice.revocation;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Carries the revocations written under the names used before the hash tag ({@link RevocationKeys.Legacy}) over
 * to the current ones, so an upgrade of a standalone or Sentinel deployment loses none. The legacy stream holds
 * every revocation still live (its keys expire no later than its entries are trimmed), so copying its entries is
 * enough: each becomes its key again, with the TTL it had left, and an entry of the current stream, under its own
 * id while that id is newer than the stream's head (else under a new one). The mirror runs this before every
 * catch-up and with its once-a-second check, so during a rolling upgrade the revocations of nodes still on the
 * old version reach the upgraded ones within about a second. Idempotent: the last entry copied is recorded in the
 * same script, which copies nothing when another node has moved that record meanwhile.
 */
@ApplicationScoped
class LegacyRevocations {

    private static final int CHUNK = 500;
    /**
     * KEYS: the current stream, the copy record, then one key per entry. ARGV: the last entry copied as this copy
     * read it ('' for none), then per entry its id, the key's value ('' for none), kind, subject, until and before.
     * Entries whose {@code until} has passed by Redis' clock are skipped. Returns the number copied.
     */
    private static final String COPY = """
            if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then
              return 0
            end
            local now = tonumber(redis.call('TIME')[1])
            local copied = 0
            for i = 3, #KEYS do
              local a = (i - 3) * 6 + 2
              local ttl = tonumber(ARGV[a + 4]) - now
              if ttl > 0 then
                if ARGV[a + 1] ~= '' then
                  local current = redis.call('GET', KEYS[i])
                  if (not current) or tonumber(current) < tonumber(ARGV[a + 1]) then
                    redis.call('SET', KEYS[i], ARGV[a + 1], 'EX', ttl)
                  end
                end
                local fields = { 'kind', ARGV[a + 2], 'id', ARGV[a + 3], 'until', ARGV[a + 4], 'before', ARGV[a + 5] }
                local added = redis.pcall('XADD', KEYS[1], ARGV[a], unpack(fields))
                if type(added) == 'table' and added.err then
                  redis.call('XADD', KEYS[1], '*', unpack(fields))
                end
                copied = copied + 1
              end
              redis.call('SET', KEYS[2], ARGV[a])
            end
            return copied
            """;

    private final RedisDataSource redis;

    LegacyRevocations(RedisDataSource redis) {
        this.redis = redis;
    }

    /** Copies whatever the legacy stream holds beyond the last entry copied; returns how many were copied. */
    int copy() {
        int total = 0;
        while (true) {
            String after = stringOrEmpty(redis.execute("GET", RevocationKeys.LEGACY_COPIED));
            Response entries = redis.execute("XRANGE", RevocationKeys.Legacy.STREAM,
                    after.isEmpty() ? "-" : "(" + after, "+", "COUNT", Integer.toString(CHUNK));
            if (entries == null || entries.size() == 0) {
                if (total > 0) {
                    Log.infof("copied %d revocations from %s to %s", total, RevocationKeys.Legacy.STREAM,
                            RevocationKeys.STREAM);
                }
                return total;
            }
            total += copyChunk(after, entries);
        }
    }

    private int copyChunk(String after, Response entries) {
        List<String> keys = new ArrayList<>(List.of(RevocationKeys.STREAM, RevocationKeys.LEGACY_COPIED));
        List<String> args = new ArrayList<>(List.of(after));
        for (Response entry : entries) {
            RevocationEvent event = eventOf(entry.get(1));
            keys.add(event == null ? RevocationKeys.LEGACY_COPIED : RevocationKeys.of(event));
            args.add(entry.get(0).toString());
            if (event == null) {
                args.addAll(List.of("", "", "", "0", "0")); // unreadable: recorded as copied, not copied
            } else {
                args.addAll(List.of(event.storedValue(), event.kind(), event.subject().toString(),
                        Long.toString(event.until()), Long.toString(event.before())));
            }
        }
        List<String> command = new ArrayList<>(List.of(COPY, Integer.toString(keys.size())));
        command.addAll(keys);
        command.addAll(args);
        return redis.execute("EVAL", command.toArray(String[]::new)).toInteger();
    }

    /** The entry's revocation, or null when this version cannot read it. */
    private static RevocationEvent eventOf(Response fields) {
        try {
            return RevocationEvent.fromEntry(fields);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String stringOrEmpty(Response response) {
        return response == null ? "" : response.toString();
    }
}
