package dev.tokenservice.revocation;

import java.time.Clock;
import java.time.Duration;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * The stream tail: one daemon thread, {@code revocation-tail}, that reads the {@value RevocationKeys#STREAM} stream
 * after the last entry applied, with {@code XREAD BLOCK} while the mirror is current and without blocking while it
 * catches up. Each round reads, applies what it read, checks while current that Redis is still the one this node
 * has read, passes key changes on, and ends the catch-up once it is done. Any failure makes the mirror catch up
 * again once Redis answers; expired revocations are swept from memory every half minute.
 */
final class RevocationTail {

    private static final int BATCH = 1000;
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

    private final RedisDataSource redis;
    private final StreamPosition position;
    private final MirrorFreshness freshness;
    private final CatchUp catchUp;
    private final EntryApplier applier;
    private final DataSetCheck dataSet;
    private final KeyChangeRelay keyChanges;
    private final RevocationIndex index;
    private final Clock clock;
    private final RevocationFailures failures;
    private volatile boolean running = true;
    private Thread thread;
    private boolean interrupted;

    RevocationTail(RedisDataSource redis, StreamPosition position, MirrorFreshness freshness, CatchUp catchUp,
            EntryApplier applier, DataSetCheck dataSet, KeyChangeRelay keyChanges, RevocationIndex index,
            Clock clock, RevocationFailures failures) {
        this.redis = redis;
        this.position = position;
        this.freshness = freshness;
        this.catchUp = catchUp;
        this.applier = applier;
        this.dataSet = dataSet;
        this.keyChanges = keyChanges;
        this.index = index;
        this.clock = clock;
        this.failures = failures;
    }

    void start() {
        thread = new Thread(this::run, "revocation-tail");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        long nextSweep = System.nanoTime() + SWEEP_INTERVAL.toNanos();
        while (running) {
            try {
                round();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                catchUp.startOver();
                interrupted = true;
                reportFailure(e);
                pause();
            }
            if (System.nanoTime() > nextSweep) {
                index.evictExpired(clock.instant().getEpochSecond());
                nextSweep = System.nanoTime() + SWEEP_INTERVAL.toNanos();
            }
        }
    }

    /** Starts a catch-up if one is due, reads once, applies what it read, then checks what may end or restart it. */
    private void round() {
        if (catchUp.isDue()) {
            catchUp.begin();
        }
        Response reply = read();
        applier.applyReply(reply);
        if (freshness.isCaughtUp() && dataSet.redisChanged()) {
            Log.warn("Redis is not the data set or master this node has read; restoring and catching up");
            catchUp.startOver();
        }
        if (keyChanges.isPending() && !keyChanges.passOn()) {
            catchUp.holdForKeys();
            pause();
        }
        catchUp.finishIfReached(reply == null, keyChanges.isPending());
    }

    /** Reads after the last entry applied, noting when Redis answered and whether the link stalled. */
    private Response read() {
        long sent = System.nanoTime();
        Response reply = readAfterLastId();
        long answered = System.nanoTime();
        if (freshness.tooSlow(sent, answered) && freshness.isCaughtUp()) {
            // the link stalled: what this reply holds may be only the first of many batches
            Log.warn("revocation stream tail stalled; catching up before serving tokens again");
            freshness.fallBehind();
        }
        freshness.heardAt(answered);
        if (interrupted) {
            Log.info("revocation stream tail resumed");
            interrupted = false;
        }
        return reply;
    }

    /** The next entries after the last one applied: waiting for new ones while current, at once while catching up. */
    private Response readAfterLastId() {
        String after = position.last().toString();
        return freshness.isCaughtUp()
                ? redis.execute("XREAD", "COUNT", Integer.toString(BATCH), "BLOCK", Long.toString(BLOCK.toMillis()),
                        "STREAMS", RevocationKeys.STREAM, after)
                : redis.execute("XREAD", "COUNT", Integer.toString(BATCH), "STREAMS", RevocationKeys.STREAM, after);
    }

    /** Counts and logs (rate-limited) what stopped the tail: a failed restore, or any other failure to read Redis. */
    private void reportFailure(RuntimeException e) {
        if (e instanceof DataSetCheck.RestoreFailedException) {
            failures.mirror(RevocationFailures.RESTORE, "restoring revocations from PostgreSQL into Redis failed, "
                    + "not serving tokens until it succeeds: " + e.getCause());
        } else {
            failures.mirror(RevocationFailures.TAIL, "revocation stream tail interrupted, catching up once Redis "
                    + "answers: " + e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
