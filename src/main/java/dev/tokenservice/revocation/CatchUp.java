package dev.tokenservice.revocation;

import java.time.Duration;

import dev.tokenservice.revocation.RevocationMirror.StreamId;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * When the mirror is current again. After starting and after any interruption (an error, a reply that took longer
 * than {@code auth.revocation.max-staleness}, a Redis that is not the data set or master this node has read) it is
 * not current until it has read the stream up to the head it saw on reconnecting, and re-read the signing keys if
 * a key change was among the entries. On start it replays the stream from one access-token lifetime ago (by Redis'
 * clock, the clock of the stream ids); after an interruption it resumes from the last entry it applied.
 */
final class CatchUp {

    private final RedisDataSource redis;
    private final LegacyRevocations legacy;
    private final DataSetCheck dataSet;
    private final StreamPosition position;
    private final MirrorFreshness freshness;
    private final RevocationIndex index;
    private final Duration horizon;
    /** The head to reach before the mirror is current again; null while current. */
    private StreamId target;

    CatchUp(RedisDataSource redis, LegacyRevocations legacy, DataSetCheck dataSet, StreamPosition position,
            MirrorFreshness freshness, RevocationIndex index, Duration horizon) {
        this.redis = redis;
        this.legacy = legacy;
        this.dataSet = dataSet;
        this.position = position;
        this.freshness = freshness;
        this.index = index;
        this.horizon = horizon;
    }

    /** Whether the mirror is behind with no head to reach yet. */
    boolean isDue() {
        return !freshness.isCaughtUp() && target == null;
    }

    /**
     * Notes the stream's head as the target to reach. The first time, the replay starts one token lifetime ago by
     * Redis' clock; later it resumes after the last applied entry, unless the stream now ends before that entry
     * (Redis was flushed or replaced), in which case everything it holds is read again.
     */
    void begin() {
        legacy.copy();
        DataSetCheck.Server server = dataSet.check();
        StreamId head = head();
        if (!position.isStarted()) {
            position.rereadFrom(new StreamId(Math.max(0, server.millis() - horizon.toMillis()), 0));
        } else if (head.compareTo(position.last()) < 0) {
            Log.warnf("revocation stream ends at %s, before the last entry read (%s): reading it again from the start",
                    head, position.last());
            position.rereadFrom(StreamId.ZERO);
        }
        target = head;
    }

    /** The mirror is behind and must look for the head again. */
    void startOver() {
        freshness.fallBehind();
        target = null;
    }

    /** The mirror is behind until the signing keys are re-read, even where it has read up to the head. */
    void holdForKeys() {
        freshness.fallBehind();
        if (target == null) {
            target = position.last();
        }
    }

    /**
     * Ends the catch-up once the target is reached and no key change is pending. Otherwise a read that found nothing
     * drops the target: the head may be gone (the stream was trimmed or deleted meanwhile), so look for it again.
     */
    void finishIfReached(boolean readNothing, boolean keysPending) {
        if (!freshness.isCaughtUp() && target != null && position.last().compareTo(target) >= 0 && !keysPending) {
            target = null;
            freshness.caughtUp();
            Log.infof("revocation mirror is current: %d live revocations", index.size());
        } else if (!freshness.isCaughtUp() && readNothing) {
            target = null;
        }
    }

    /** The id of the stream's newest entry, or 0-0 when it is empty or missing. */
    private StreamId head() {
        Response newest = redis.execute("XREVRANGE", RevocationKeys.STREAM, "+", "-", "COUNT", "1");
        if (newest == null || newest.size() == 0) {
            return StreamId.ZERO;
        }
        return StreamId.parse(newest.get(0).get(0).toString());
    }
}
