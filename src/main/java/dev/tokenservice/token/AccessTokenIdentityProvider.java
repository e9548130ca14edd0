package dev.tokenservice.token;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.key.SigningKeys;
import dev.tokenservice.revocation.RevocationStore;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
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
            return checkRevocation(verifier.verify(raw));
        } catch (InvalidTokenException e) {
            if (!"unknown_kid".equals(e.reason())) {
                return reject(e);
            }
            // the key may have been created a moment ago on another node
            return keys.reloadForUnknownKid().flatMap(reloaded -> reloaded ? verifyAgain(raw) : reject(e));
        }
    }

    private Uni<SecurityIdentity> verifyAgain(String raw) {
        try {
            return checkRevocation(verifier.verify(raw));
        } catch (InvalidTokenException e) {
            return reject(e);
        }
    }

    private Uni<SecurityIdentity> checkRevocation(VerifiedToken token) {
        return revocations.isRevoked(token.jti(), token.sessionId(), token.userId(), token.issuedAt())
                .flatMap(revoked -> revoked
                        ? reject(new InvalidTokenException("revoked", "the token has been revoked"))
                        : Uni.createFrom().item(token.identity()));
    }

    private Uni<SecurityIdentity> reject(InvalidTokenException e) {
        metrics.rejected(e.reason());
        return Uni.createFrom().failure(new AuthenticationFailedException(e));
    }
}
