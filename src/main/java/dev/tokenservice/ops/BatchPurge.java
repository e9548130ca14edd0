package dev.tokenservice.ops;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

import io.quarkus.logging.Log;

/**
 * A purge that every node runs on a thread of its own, every {@code interval} (the first round at a random point
 * of it, so nodes started together do not purge together), deleting in batches of {@code batch} rows, each batch its
 * own short transaction, at most {@code maxBatches} a round: what one round leaves waits for the next.
 */
public final class BatchPurge {

    private final String name;
    private final Duration interval;
    private final int batch;
    private final int maxBatches;
    /** Deletes up to the given number of rows in a transaction of its own; returns how many went. */
    private final IntUnaryOperator purgeBatch;
    private ScheduledExecutorService executor;

    public BatchPurge(String name, Duration interval, int batch, int maxBatches, IntUnaryOperator purgeBatch) {
        this.name = name;
        this.interval = interval;
        this.batch = batch;
        this.maxBatches = maxBatches;
        this.purgeBatch = purgeBatch;
    }

    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        long first = ThreadLocalRandom.current().nextLong(interval.toMillis());
        executor.scheduleWithFixedDelay(this::purge, first, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** One round; returns the rows deleted. A failure is logged, and the next round tries again. */
    public int purge() {
        int deleted = 0;
        try {
            for (int i = 0; i < maxBatches; i++) {
                int purged = purgeBatch.applyAsInt(batch);
                deleted += purged;
                if (purged < batch) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("%s failed: %s", name, e.getMessage());
        }
        return deleted;
    }
}
