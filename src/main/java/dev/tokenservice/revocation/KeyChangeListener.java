package dev.tokenservice.revocation;

/**
 * Told by the revocation mirror that the signing keys changed (an entry of kind {@code keys} on the stream).
 * Called on the mirror's own thread; may block. Throwing keeps the mirror from reporting itself current until
 * a later call succeeds, so a node never serves with a key set older than the stream it has read.
 */
public interface KeyChangeListener {

    void keysChanged();
}
