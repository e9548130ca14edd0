package dev.tokenservice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A user's own recent events, newest first. */
@RegisterForReflection
public record EventListResponse(List<EventResponse> events) {
}
