package dev.tokenservice.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * An access token whose signature and claims have been checked (revocation not included), with the identity it
 * grants, built once per token rather than once per request.
 */
public record VerifiedToken(String kid, UUID jti, UUID sessionId, UUID userId, Instant issuedAt,
        Instant expiresAt, SecurityIdentity identity) {

    static VerifiedToken of(String raw, String kid, JwtClaims claims, UUID jti, UUID sessionId, UUID userId,
            List<String> roles, Instant issuedAt, Instant expiresAt) {
        SecurityIdentity identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new DefaultJWTCallerPrincipal(raw, "JWT", claims))
                .addRoles(Set.copyOf(roles))
                .addCredential(new TokenCredential(raw, "bearer"))
                .build();
        return new VerifiedToken(kid, jti, sessionId, userId, issuedAt, expiresAt, identity);
    }
}
