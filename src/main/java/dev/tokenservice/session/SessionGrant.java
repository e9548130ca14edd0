package dev.tokenservice.session;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a new access token needs to know about its session, plus the refresh token handed out with it. The client
 * id is null for a session opened before clients existed: it belongs to the default client. {@code dpopJkt} is the
 * thumbprint of the key the session is bound to, null when it is not bound.
 */
public record SessionGrant(UUID sessionId, UUID userId, String username, List<String> roles,
        Instant expiresAt, String refreshToken, String clientId, String dpopJkt) {
}
