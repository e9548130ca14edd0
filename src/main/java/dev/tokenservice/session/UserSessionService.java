package dev.tokenservice.session;

import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.tokenservice.client.ClientRegistry;
import dev.tokenservice.event.NewSecurityEvent;
import dev.tokenservice.event.RevokeReason;
import dev.tokenservice.event.SecurityEvents;
import dev.tokenservice.revocation.RevocationStore;
import dev.tokenservice.token.TokenMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The sessions a user sees and ends one by one. Ending a session is a logout of it: {@code revoked_at} in
 * PostgreSQL and the session revocation in Redis are written in one database transaction, so a Redis failure
 * leaves the session live (503) and the same request may be sent again.
 */
@ApplicationScoped
public class UserSessionService {

    /** The most sessions a list shows (the newest); ending the others is not bounded by it. */
    public static final int MAX_LISTED = 100;

    private final AuthSessionRepository sessions;
    private final RevocationStore revocations;
    private final TokenMetrics metrics;
    private final ClientRegistry clients;
    private final Clock clock;
    private final SecurityEvents events;

    public UserSessionService(AuthSessionRepository sessions, RevocationStore revocations, TokenMetrics metrics,
            ClientRegistry clients, Clock clock, SecurityEvents events) {
        this.events = events;
        this.sessions = sessions;
        this.revocations = revocations;
        this.metrics = metrics;
        this.clients = clients;
        this.clock = clock;
    }

    /** The user's live sessions, newest first; {@code current} (null: none) is marked as the caller's own. */
    @Transactional
    public SessionListResponse list(UUID userId, UUID current) {
        String defaultClient = clients.defaultClient().id();
        return new SessionListResponse(sessions.liveOf(userId, clock.instant(), MAX_LISTED).stream()
                .map(session -> SessionResponse.of(session, defaultClient, current))
                .toList());
    }

    /**
     * Ends the session, by the user or an admin ({@code reason}).
     *
     * @throws SessionNotFoundException unless the session is the user's and live
     */
    public void end(UUID userId, UUID sessionId, RevokeReason reason) {
        OptionalInt written = QuarkusTransaction.requiringNew().call(() -> {
            if (!sessions.revokeLive(sessionId, userId, clock.instant())) {
                return OptionalInt.empty();
            }
            events.record(NewSecurityEvent.sessionRevoked(reason).user(userId).session(sessionId));
            return OptionalInt.of(revocations.revokeSessions(List.of(sessionId)));
        });
        metrics.revoked("session", written.orElseThrow(SessionNotFoundException::new));
    }

    /** Ends every live session of the user but {@code kept}, however many there are, as one event. */
    public void endAllBut(UUID userId, UUID kept) {
        int written = QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ended = sessions.revokeLiveExcept(userId, kept, clock.instant());
            if (ended.isEmpty()) {
                return 0;
            }
            events.record(NewSecurityEvent.sessionRevoked(RevokeReason.USER).user(userId)
                    .with("sessions", ended.size()));
            return revocations.revokeSessions(ended);
        });
        metrics.revoked("session", written);
    }
}
