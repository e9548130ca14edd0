package dev.tokenservice.revocation;

import jakarta.enterprise.inject.Instance;

import dev.tokenservice.revocation.RevocationMirror.StreamId;

/** Where the mirror is in the stream: the last entry applied, and where it reads again from after losing its place. */
final class StreamPosition {

    private final Instance<MirrorListener> listeners;
    /** The last entry applied; null until the first replay has started. */
    private StreamId lastId;

    StreamPosition(Instance<MirrorListener> listeners) {
        this.listeners = listeners;
    }

    /** Whether the first replay has started. */
    boolean isStarted() {
        return lastId != null;
    }

    StreamId last() {
        return lastId;
    }

    void advanceTo(StreamId id) {
        lastId = id;
    }

    /** Reads the stream again from {@code from}; listeners drop what they had from before. */
    void rereadFrom(StreamId from) {
        lastId = from;
        listeners.forEach(listener -> listener.rereading(from));
    }
}
