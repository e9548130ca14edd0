package dev.tokenservice.revocation;

import java.time.Duration;

/**
 * Whether the mirror may answer for revocations. The mirror is honest about being behind: after starting and after
 * any interruption it is not current until it has caught up ({@link CatchUp}), and it is not current either when
 * the stream tail has not heard from Redis within {@code auth.revocation.max-staleness}. While it is not current,
 * requests carrying tokens are refused with 503 and the node reports not ready, so a stale mirror never lets a
 * revoked token through.
 * <p>
 * Written by the tail's thread, read by request threads.
 */
final class MirrorFreshness {

    private final long maxStalenessNanos;
    private volatile long lastContactNanos;
    private volatile boolean caughtUp;

    MirrorFreshness(Duration maxStaleness) {
        this.maxStalenessNanos = maxStaleness.toNanos();
    }

    /** Starts out stale: nothing has been heard from Redis yet. */
    void startStale() {
        lastContactNanos = System.nanoTime() - maxStalenessNanos - 1;
    }

    /** Whether the mirror has read the stream up to its head and heard from Redis within the allowed staleness. */
    boolean isCurrent() {
        return caughtUp && System.nanoTime() - lastContactNanos <= maxStalenessNanos;
    }

    long stalenessMillis() {
        return Duration.ofNanos(System.nanoTime() - lastContactNanos).toMillis();
    }

    /** Redis answered at {@code answeredNanos}. */
    void heardAt(long answeredNanos) {
        lastContactNanos = answeredNanos;
    }

    /** Whether a reply took longer than the allowed staleness: the link stalled. */
    boolean tooSlow(long sentNanos, long answeredNanos) {
        return answeredNanos - sentNanos > maxStalenessNanos;
    }

    boolean isCaughtUp() {
        return caughtUp;
    }

    void caughtUp() {
        caughtUp = true;
    }

    void fallBehind() {
        caughtUp = false;
    }
}
