package dev.tokenservice.revocation;

import dev.tokenservice.revocation.RevocationMirror.StreamId;

/**
 * Told by the revocation mirror what it reads, in stream order, on the mirror's own thread. Implementations must
 * neither throw nor block for long: the mirror waits for them before it reads on.
 */
public interface MirrorListener {

    /** The mirror reads the stream again from {@code from}: what it read before may be gone or of another data set. */
    void rereading(StreamId from);

    /** The mirror applied the stream entry {@code id}: a revocation, or a change of the signing keys. */
    void applied(StreamId id, RevocationEvent event);
}
