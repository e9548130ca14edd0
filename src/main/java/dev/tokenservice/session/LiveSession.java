package dev.tokenservice.session;

import java.time.Instant;
import java.util.UUID;

/**
 * A live session as its user's list shows it. {@code lastRefreshedAt} is null until the first refresh;
 * {@code clientId} is null for a session older than clients, {@code dpopJkt} for an unbound one.
 */
public record LiveSession(UUID id, String clientId, Instant createdAt, Instant lastRefreshedAt, Instant expiresAt,
        String userAgent, String clientAddress, String dpopJkt) {
}
