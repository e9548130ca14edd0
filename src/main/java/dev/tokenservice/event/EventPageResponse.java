package dev.tokenservice.event;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of the admin listing, newest first; {@code next_cursor} asks for the older ones, null at the end. */
@RegisterForReflection
public record EventPageResponse(
        List<EventResponse> events,
        @Schema(nullable = true) @JsonProperty("next_cursor") String nextCursor) {
}
