package dev.tokenservice.token;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.dpop.DpopException;
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

    /** The credential type of a token sent with the DPoP scheme; any other is a bearer's. */
    public static final String DPOP = "dpop";

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
        boolean dpop = DPOP.equals(request.getToken().getType());
        try {
            return checkSchemeAndRevocation(verifier.verify(raw), dpop);
        } catch (InvalidTokenException e) {
            if (!"unknown_kid".equals(e.reason())) {
                return reject(e);
            }
            // the key may have been created a moment ago on another node
            return keys.reloadForUnknownKid().flatMap(reloaded -> reloaded ? verifyAgain(raw, dpop) : reject(e));
        }
    }

    private Uni<SecurityIdentity> verifyAgain(String raw, boolean dpop) {
        try {
            return checkSchemeAndRevocation(verifier.verify(raw), dpop);
        } catch (InvalidTokenException e) {
            return reject(e);
        }
    }

    /**
     * A bound token only with the DPoP scheme (whose proof the mechanism checks next), an unbound one only without;
     * then the revocation check.
     */
    private Uni<SecurityIdentity> checkSchemeAndRevocation(VerifiedToken token, boolean dpop) {
        DpopException wrongScheme = null;
        if (token.jkt() != null && !dpop) {
            wrongScheme = DpopException.invalidToken("dpop_bound_as_bearer",
                    "the token is DPoP-bound: send it as Authorization: DPoP with a proof");
        } else if (token.jkt() == null && dpop) {
            wrongScheme = DpopException.invalidToken("dpop_unbound", "the token is not DPoP-bound: send it as Bearer");
        }
        if (wrongScheme != null) {
            metrics.rejected(wrongScheme.reason());
            return Uni.createFrom().failure(new AuthenticationFailedException(wrongScheme));
        }
        return checkRevocation(token);
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
