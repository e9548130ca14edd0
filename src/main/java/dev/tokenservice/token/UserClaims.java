package dev.tokenservice.token;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The user and session a verified access token acts for; a client's own token acts for neither. */
public final class UserClaims {

    private UserClaims() {
    }

    /** @throws ClientTokenException for a client's own token */
    public static UUID userId(JsonWebToken token) {
        requireUser(token);
        return UUID.fromString(token.getSubject());
    }

    /** @throws ClientTokenException for a client's own token */
    public static UUID sessionId(JsonWebToken token) {
        requireUser(token);
        return UUID.fromString(token.getClaim("sid"));
    }

    private static void requireUser(JsonWebToken token) {
        if (token.getClaim("sid") == null) {
            throw new ClientTokenException();
        }
    }
}
