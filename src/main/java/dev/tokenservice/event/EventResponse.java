package dev.tokenservice.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One event as the API shows it; fields that do not apply are null. */
@RegisterForReflection
public record EventResponse(
        UUID id,
        String type,
        Instant time,
        @JsonProperty("user_id") UUID userId,
        String username,
        @JsonProperty("session_id") UUID sessionId,
        @JsonProperty("client_id") String clientId,
        String address,
        @JsonProperty("user_agent") String userAgent,
        Map<String, Object> detail) {

    static EventResponse of(SecurityEvent event) {
        return new EventResponse(event.id(), event.type(), event.time(), event.userId(), event.username(),
                event.sessionId(), event.clientId(), event.address(), event.userAgent(), event.detail());
    }
}
