package dev.tokenservice.revocation;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * Revoked token ids, sessions and per-user cut-offs, shared by every node. Entries are keyed by
 * {@code jti}, {@code sid} and user id, never by token text, and live no longer than the tokens they stop.
 * Every method fails with {@link RevocationUnavailableException} when the store cannot be reached. Revoking what
 * is already revoked is accepted and writes nothing.
 */
public interface RevocationStore {

    /** Whether a token with these claims is revoked: by its id, its session, or its user's cut-off. */
    Uni<Boolean> isRevoked(UUID jti, UUID sessionId, UUID userId, Instant issuedAt);

    /**
     * True only when this node's view is current and holds no revocation for these claims; false when the token
     * is revoked or the view is not current (then {@link #isRevoked} tells which). Never blocks.
     */
    boolean isCertainlyLive(UUID jti, UUID sessionId, UUID userId, Instant issuedAt);

    /** Revokes one access token until it expires; returns false when it was revoked already (or has expired). */
    boolean revokeToken(UUID jti, Instant expiresAt);

    /** Revokes one access token and its whole session, in one write: acknowledged together or not at all. */
    void revokeTokenAndSession(UUID jti, Instant expiresAt, UUID sessionId);

    /** Revokes every access token issued in these sessions; returns how many were not revoked already. */
    int revokeSessions(Collection<UUID> sessionIds);

    /**
     * Revokes the user's sessions and every access token of the user issued before {@code before}, in one
     * write: acknowledged together or not at all.
     */
    void revokeUser(UUID userId, Collection<UUID> sessionIds, Instant before);

    /**
     * Tells every node, through the same durable stream as the revocations, that the signing keys changed, so a
     * node that was away when it happened re-reads them when it catches up.
     */
    void announceKeyChange();
}
