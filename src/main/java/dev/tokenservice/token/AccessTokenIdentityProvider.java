package dev.tokenservice.token;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;

import dev.tokenservice.revocation.RevocationStore;

/**
 * Turns a bearer token into an identity: pinned verification, then the revocation check, on every request,
 * without blocking the event loop. Runs ahead of smallrye-jwt's own validator.
 */
@ApplicationScoped
public class AccessTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final TokenVerifier verifier;
    private final RevocationStore revocations;
    private final TokenMetrics metrics;

    public AccessTokenIdentityProvider(TokenVerifier verifier, RevocationStore revocations, TokenMetrics metrics) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.metrics = metrics;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        VerifiedToken token;
        try {
            token = verifier.verify(request.getToken().getToken());
        } catch (InvalidTokenException e) {
            metrics.rejected(e.reason());
            return Uni.createFrom().failure(new AuthenticationFailedException(e));
        }
        return revocations.isRevoked(token.jti(), token.sessionId(), token.userId(), token.issuedAt())
                .map(revoked -> {
                    if (revoked) {
                        metrics.rejected("revoked");
                        throw new AuthenticationFailedException(
                                new InvalidTokenException("revoked", "the token has been revoked"));
                    }
                    return identity(token, request);
                });
    }

    private static SecurityIdentity identity(VerifiedToken token, TokenAuthenticationRequest request) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new DefaultJWTCallerPrincipal(token.raw(), "JWT", token.claims()))
                .addRoles(Set.copyOf(token.roles()))
                .addCredential(request.getToken())
                .build();
    }
}
