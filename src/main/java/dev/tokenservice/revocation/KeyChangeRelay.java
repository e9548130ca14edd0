package dev.tokenservice.revocation;

import jakarta.enterprise.inject.Instance;

/**
 * Hands a key change read from the stream on to every {@link KeyChangeListener}. While one is pending (read, not
 * yet taken in by every listener) the mirror does not count as current, so a node never serves with a key set
 * older than the stream it has read.
 */
final class KeyChangeRelay {

    private final Instance<KeyChangeListener> listeners;
    private final RevocationFailures failures;
    private boolean pending;

    KeyChangeRelay(Instance<KeyChangeListener> listeners, RevocationFailures failures) {
        this.listeners = listeners;
        this.failures = failures;
    }

    /** A key change was among the entries read. */
    void noted() {
        pending = true;
    }

    boolean isPending() {
        return pending;
    }

    /** Tells every listener; returns whether all have taken the change in (if not, it stays pending). */
    boolean passOn() {
        try {
            listeners.forEach(KeyChangeListener::keysChanged);
            pending = false;
            return true;
        } catch (RuntimeException e) {
            failures.mirror(RevocationFailures.KEYS,
                    "signing keys changed but could not be re-read; not serving tokens until they are: " + e);
            return false;
        }
    }
}
