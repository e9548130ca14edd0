package dev.tokenservice.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tokenservice.revocation.RevocationStore;
import dev.tokenservice.revocation.RevocationUnavailableException;
import dev.tokenservice.token.InvalidTokenException;
import dev.tokenservice.token.TokenVerifier;
import dev.tokenservice.token.VerifiedToken;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates the common case ahead of Quarkus' security chain: a request with an {@code Authorization: Bearer}
 * token that verifies (pinned, from the verified-token cache after the first time) and that this node's current
 * revocation mirror does not hold, and that is not DPoP-bound, gets its identity set on the routing context directly, right after Quarkus'
 * authentication step has run, so {@code @Authenticated} and {@code @RolesAllowed} see it without the mechanism,
 * the identity-provider chain and their reactive steps. Anything else (no token, the access cookie with its CSRF
 * rule, a token that fails any check, a mirror that is not current) is left to {@link AccessTokenMechanism}, which
 * runs the same checks and gives the precise answer.
 */
@ApplicationScoped
public class BearerFastPath {

    /** After Quarkus' authentication handler (200), before its authorization handler (100). */
    private static final int PRIORITY = 190;
    private static final String SCHEME = "Bearer ";

    private final TokenVerifier verifier;
    private final RevocationStore revocations;

    public BearerFastPath(TokenVerifier verifier, RevocationStore revocations) {
        this.verifier = verifier;
        this.revocations = revocations;
    }

    void register(@Observes Filters filters) {
        filters.register(this::authenticate, PRIORITY);
    }

    private void authenticate(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.length() > SCHEME.length()
                && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            try {
                VerifiedToken token = verifier.verify(authorization.substring(SCHEME.length()).strip());
                if (token.jkt() == null && revocations.isCertainlyLive(token.jti(), token.sessionId(), token.userId(), token.issuedAt())) {
                    QuarkusHttpUser.setIdentity(token.identity(), context);
                }
            } catch (InvalidTokenException | RevocationUnavailableException e) {
                // the mechanism meets the same failure and answers it
            }
        }
        context.next();
    }
}
