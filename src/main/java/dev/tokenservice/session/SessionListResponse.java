package dev.tokenservice.session;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A user's live sessions, newest first, at most {@link UserSessionService#MAX_LISTED}. */
@RegisterForReflection
public record SessionListResponse(List<SessionResponse> sessions) {
}
