package dev.tokenservice.feed;

import java.time.Duration;
import java.util.ArrayDeque;

import dev.tokenservice.revocation.RevocationMirror;
import dev.tokenservice.revocation.RevocationMirror.StreamId;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * One consumer's open feed. Everything is written on the connection's own event loop, in the order the feed handed
 * it over; a snapshot is built off the event loop and holds back what follows it until it is written. A consumer that
 * falls further behind than the feed's history is cut off: it reconnects and gets a snapshot.
 */
final class FeedConnection {

    private final Vertx vertx;
    private final Context context;
    private final HttpServerResponse response;
    private final RevocationFeed feed;
    private final RevocationMirror mirror;
    private final String clientId;
    private final int maxBacklog;
    private final long openedNanos = System.nanoTime();
    /** Text to write, in order; a {@link PendingSnapshot} holds back what follows until it is built. */
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private boolean closed;
    private long heartbeatTimer = -1;
    private long endTimer = -1;

    private static final class PendingSnapshot {
        String text;
    }

    FeedConnection(Vertx vertx, HttpServerResponse response, RevocationFeed feed, RevocationMirror mirror,
            String clientId, int maxBacklog) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.response = response;
        this.feed = feed;
        this.mirror = mirror;
        this.clientId = clientId;
        this.maxBacklog = maxBacklog;
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
        response.write(FeedFormat.RETRY);
        heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), ignored -> heartbeat());
        endTimer = vertx.setTimer(maxConnection.toMillis(), ignored -> end());
    }

    /** Queues events; from any thread. */
    void send(String text) {
        context.runOnContext(ignored -> enqueue(text));
    }

    /** Queues a snapshot current to {@code id}; from any thread. */
    void sendSnapshot(StreamId id) {
        context.runOnContext(ignored -> {
            PendingSnapshot snapshot = new PendingSnapshot();
            enqueue(snapshot);
            vertx.executeBlocking(() -> feed.format().snapshot(id, feed.snapshot()), false).onComplete(built -> {
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

    private void enqueue(Object item) {
        if (closed) {
            return;
        }
        backlog.add(item);
        if (backlog.size() > maxBacklog) {
            Log.warn("revocation feed consumer fell too far behind; closing its connection");
            release();
            response.close();
            return;
        }
        drain();
    }

    private void drain() {
        while (!closed && !backlog.isEmpty() && !response.writeQueueFull()) {
            String text = readyText(backlog.peek());
            if (text == null) {
                return;
            }
            backlog.poll();
            response.write(text);
        }
        if (!closed && !backlog.isEmpty()) {
            response.drainHandler(ignored -> drain());
        }
    }

    /** The text of a queued item, or null for a snapshot still being built. */
    private static String readyText(Object item) {
        return item instanceof PendingSnapshot snapshot ? snapshot.text : (String) item;
    }

    /** A comment line, only while the mirror is current: a consumer that hears none knows its copy may be stale. */
    private void heartbeat() {
        if (!closed && backlog.isEmpty() && mirror.isCurrent()) {
            response.write(FeedFormat.HEARTBEAT);
        }
    }

    /** Ends the response after what is ready to write; the consumer reconnects with the last id it got. */
    private void end() {
        if (closed) {
            return;
        }
        while (!backlog.isEmpty() && readyText(backlog.peek()) != null) {
            response.write(readyText(backlog.poll()));
        }
        release();
        response.end();
    }

    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(heartbeatTimer);
        vertx.cancelTimer(endTimer);
        feed.close(this);
    }
}
