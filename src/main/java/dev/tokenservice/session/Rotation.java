package dev.tokenservice.session;

import java.util.UUID;

/** The outcome of presenting a refresh token. */
public record Rotation(Outcome outcome, SessionGrant grant, UUID revokedSession, String reason) {

    /** The reason of an {@code INVALID} rotation whose request did not prove the session's DPoP key. */
    public static final String DPOP_BINDING = "dpop_binding";

    public enum Outcome {
        /** The token was live and is now spent; {@code grant} holds its successor. */
        ROTATED,
        /** A retry of a just-spent token within the grace; {@code grant} holds the same successor. */
        RETRIED,
        /** Unknown, expired or revoked. */
        INVALID,
        /** A spent token presented outside the grace: its session is now revoked. */
        REUSED
    }

    static Rotation granted(Outcome outcome, SessionGrant grant) {
        return new Rotation(outcome, grant, null, null);
    }

    static Rotation invalid(String reason) {
        return new Rotation(Outcome.INVALID, null, null, reason);
    }

    static Rotation reused(UUID session) {
        return new Rotation(Outcome.REUSED, null, session, "refresh_reused");
    }
}
