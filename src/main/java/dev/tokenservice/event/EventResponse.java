package dev.tokenservice.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One event as the API shows it; fields that do not apply are null. */
@RegisterForReflection
public record EventResponse(
        UUID id,
        String type,
        Instant time,
        @Schema(nullable = true) @JsonProperty("user_id") UUID userId,
        @Schema(nullable = true) String username,
        @Schema(nullable = true) @JsonProperty("session_id") UUID sessionId,
        @Schema(nullable = true) @JsonProperty("client_id") String clientId,
        @Schema(nullable = true) String address,
        @Schema(nullable = true) @JsonProperty("user_agent") String userAgent,
        Map<String, Object> detail) {

    static EventResponse of(SecurityEvent event) {
        return new EventResponse(event.id(), event.type(), event.time(), event.userId(), event.username(),
                event.sessionId(), event.clientId(), event.address(), event.userAgent(), event.detail());
    }
}
