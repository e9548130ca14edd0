package dev.tokenservice.session;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One session in a session list; {@code id} is the {@code sid} of its tokens. */
@RegisterForReflection
public record SessionResponse(
        UUID id,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("created_at") Instant createdAt,
        @Schema(nullable = true) @JsonProperty("last_refreshed_at") Instant lastRefreshedAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @Schema(nullable = true) String device,
        @Schema(nullable = true) String address,
        @JsonProperty("dpop_bound") boolean dpopBound,
        boolean current) {

    static SessionResponse of(LiveSession session, String defaultClient, UUID current) {
        return new SessionResponse(session.id(), session.clientId() == null ? defaultClient : session.clientId(),
                session.createdAt(), session.lastRefreshedAt(), session.expiresAt(), session.userAgent(),
                session.clientAddress(), session.dpopJkt() != null, session.id().equals(current));
    }
}
