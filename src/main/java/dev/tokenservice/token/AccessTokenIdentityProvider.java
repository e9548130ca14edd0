package dev.tokenservice.token;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.key.SigningKeys;
import dev.tokenservice.revocation.RevocationStore;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;

/**
 * Turns a bearer token into an identity: pinned verification, then the revocation check, on every request,
 * without blocking the event loop.
 */
@ApplicationScoped
public class AccessTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final TokenVerifier verifier;
    private final RevocationStore revocations;
    private final SigningKeys keys;
    private final TokenMetrics metrics;

    public AccessTokenIdentityProvider(TokenVerifier verifier, RevocationStore revocations, SigningKeys keys,
            TokenMetrics metrics) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String raw = request.getToken().getToken();
        try {
            return checkRevocation(verifier.verify(raw), request);
        } catch (InvalidTokenException e) {
            if (!"unknown_kid".equals(e.reason())) {
                return reject(e);
            }
            // the key may have been created a moment ago on another node
            return keys.reloadForUnknownKid().flatMap(reloaded -> reloaded ? verifyAgain(raw, request) : reject(e));
        }
    }

    private Uni<SecurityIdentity> verifyAgain(String raw, TokenAuthenticationRequest request) {
        try {
            return checkRevocation(verifier.verify(raw), request);
        } catch (InvalidTokenException e) {
            return reject(e);
        }
    }

    private Uni<SecurityIdentity> checkRevocation(VerifiedToken token, TokenAuthenticationRequest request) {
        return revocations.isRevoked(token.jti(), token.sessionId(), token.userId(), token.issuedAt())
                .flatMap(revoked -> revoked
                        ? reject(new InvalidTokenException("revoked", "the token has been revoked"))
                        : Uni.createFrom().item(identity(token, request)));
    }

    private Uni<SecurityIdentity> reject(InvalidTokenException e) {
        metrics.rejected(e.reason());
        return Uni.createFrom().failure(new AuthenticationFailedException(e));
    }

    private static SecurityIdentity identity(VerifiedToken token, TokenAuthenticationRequest request) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new DefaultJWTCallerPrincipal(token.raw(), "JWT", token.claims()))
                .addRoles(Set.copyOf(token.roles()))
                .addCredential(request.getToken())
                .build();
    }
}
