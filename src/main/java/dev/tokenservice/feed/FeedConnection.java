package dev.tokenservice.feed;

import java.time.Duration;
import java.util.ArrayDeque;

import dev.tokenservice.revocation.RevocationMirror;
import dev.tokenservice.revocation.RevocationMirror.StreamId;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * One consumer's open feed. Everything is written on the connection's own event loop, in the order the feed handed
 * it over, in chunks and only while the socket takes them; a snapshot is built off the event loop and holds back what
 * follows it until it is written. A consumer whose events wait past {@code auth.feed.max-buffer} bytes is cut off: it
 * reconnects with Last-Event-ID.
 */
final class FeedConnection {

    /** The most handed to the socket at once, so that no write, however large its text, fills the node's memory. */
    private static final int CHUNK = 8 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final HttpServerResponse response;
    private final RevocationFeed feed;
    private final RevocationMirror mirror;
    private final String clientId;
    private final long maxBuffer;
    private final long openedNanos = System.nanoTime();
    /** Text to write, in order: events as buffers, a snapshot or a catch-up as {@link CatchUp}. */
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    /** How much of the backlog's first item is written already. */
    private int headOffset;
    /** Bytes of events in the backlog, plus every byte handed to the socket and not yet sent. */
    private long queuedBytes;
    private boolean closed;
    private long heartbeatTimer = -1;
    private long endTimer = -1;

    /** A snapshot (text null until built) or the events a resumed consumer missed: written as the reader takes it. */
    private static final class CatchUp {
        Buffer text;
    }

    FeedConnection(Vertx vertx, HttpServerResponse response, RevocationFeed feed, RevocationMirror mirror,
            String clientId, long maxBuffer) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.response = response;
        this.feed = feed;
        this.mirror = mirror;
        this.clientId = clientId;
        this.maxBuffer = maxBuffer;
    }

    String clientId() {
        return clientId;
    }

    /** When this connection was opened, in {@link System#nanoTime()}. */
    long openedNanos() {
        return openedNanos;
    }

    /** Sends the headers and the reconnection delay, and starts the heartbeat and the connection's end. */
    void start(Duration heartbeat, Duration maxConnection) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.closeHandler(ignored -> release());
        response.exceptionHandler(ignored -> release());
        write(Buffer.buffer(FeedFormat.RETRY));
        heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), ignored -> heartbeat());
        endTimer = vertx.setTimer(maxConnection.toMillis(), ignored -> end());
    }

    /** Queues new events; from any thread. */
    void send(String text) {
        context.runOnContext(ignored -> enqueueEvents(Buffer.buffer(text)));
    }

    /** Queues the events a resumed consumer missed; from any thread. */
    void sendMissed(String text) {
        if (text.isEmpty()) {
            return;
        }
        context.runOnContext(ignored -> {
            CatchUp missed = new CatchUp();
            missed.text = Buffer.buffer(text);
            enqueue(missed);
        });
    }

    /** Queues a snapshot current to {@code id}; from any thread. */
    void sendSnapshot(StreamId id) {
        context.runOnContext(ignored -> {
            CatchUp snapshot = new CatchUp();
            enqueue(snapshot);
            vertx.executeBlocking(() -> Buffer.buffer(feed.format().snapshot(id, feed.snapshot())), false)
                    .onComplete(built -> {
                        if (built.failed()) {
                            Log.errorf(built.cause(), "revocation feed snapshot failed");
                            end();
                            return;
                        }
                        snapshot.text = built.result();
                        drain();
                    });
        });
    }

    private void enqueueEvents(Buffer text) {
        if (closed) {
            return;
        }
        account(text.length());
        if (queuedBytes > maxBuffer) {
            Log.warnf("revocation feed consumer %s fell more than %d bytes behind; closing its connection", clientId,
                    maxBuffer);
            release();
            response.close();
            return;
        }
        enqueue(text);
    }

    private void enqueue(Object item) {
        if (closed) {
            return;
        }
        backlog.add(item);
        drain();
    }

    /** Writes what is ready, a chunk at a time, until the socket is full; then resumes when it drains. */
    private void drain() {
        while (!closed && !response.writeQueueFull() && writeChunk()) {
            // one chunk per round, so that the socket's fill is checked between chunks
        }
        if (!closed && readyHead() != null) {
            response.drainHandler(ignored -> drain());
        }
    }

    /** Hands the next chunk of the first ready item to the socket; false when nothing is ready. */
    private boolean writeChunk() {
        Buffer head = readyHead();
        if (head == null) {
            return false;
        }
        int end = Math.min(head.length(), headOffset + CHUNK);
        Buffer chunk = head.slice(headOffset, end);
        boolean counted = backlog.peek() instanceof Buffer;
        if (end == head.length()) {
            backlog.poll();
            headOffset = 0;
        } else {
            headOffset = end;
        }
        if (counted) {
            account(-chunk.length());
        }
        write(chunk);
        return true;
    }

    /** Writes, counting the bytes as queued until the socket has sent them. */
    private void write(Buffer chunk) {
        int length = chunk.length();
        account(length);
        response.write(chunk).onComplete(ignored -> {
            if (!closed) {
                account(-length);
            }
        });
    }

    /** The text of the first queued item, or null when there is none or it is a snapshot still being built. */
    private Buffer readyHead() {
        Object item = backlog.peek();
        return item instanceof CatchUp catchUp ? catchUp.text : (Buffer) item;
    }

    private void account(long bytes) {
        queuedBytes += bytes;
        feed.queued(bytes);
    }

    /** A comment line, only while the mirror is current: a consumer that hears none knows its copy may be stale. */
    private void heartbeat() {
        if (!closed && backlog.isEmpty() && !response.writeQueueFull() && mirror.isCurrent()) {
            write(Buffer.buffer(FeedFormat.HEARTBEAT));
        }
    }

    /**
     * Ends the response after what is ready to write, as far as the socket takes it now; a consumer too slow for that
     * is closed instead. Either way it reconnects with the last id it got.
     */
    private void end() {
        if (closed) {
            return;
        }
        while (!response.writeQueueFull() && writeChunk()) {
            // as in drain(), but without waiting for the socket
        }
        boolean behind = readyHead() != null;
        release();
        if (behind) {
            response.close();
        } else {
            response.end();
        }
    }

    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(heartbeatTimer);
        vertx.cancelTimer(endTimer);
        feed.queued(-queuedBytes);
        queuedBytes = 0;
        backlog.clear();
        feed.close(this);
    }
}
