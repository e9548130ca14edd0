package dev.tokenservice.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * An access token whose signature and claims have been checked (revocation and audience not included), with the
 * identity it grants, built once per token rather than once per request. A client's own token
 * ({@code client_credentials}) has no session and no user: {@code sessionId} and {@code userId} are null, and
 * {@code subject} is the client id. {@code jkt} is the thumbprint of the DPoP key the token is bound to
 * ({@code cnf.jkt}), null for a bearer token. {@code username} ({@code preferred_username}) and {@code scope} are
 * kept as read, for introspection, which would otherwise look them up in the claims on every call; null when absent.
 */
public record VerifiedToken(String kid, UUID jti, UUID sessionId, UUID userId, String subject, String clientId,
        List<String> audiences, Instant issuedAt, Instant expiresAt, String jkt, String username, String scope,
        SecurityIdentity identity) {

    /** The identity attribute holding {@code jkt}, for the DPoP check that follows authentication. */
    public static final String JKT_ATTRIBUTE = "dev.tokenservice.dpop.jkt";

    /** Whether {@code aud} names this audience. */
    public boolean isFor(String audience) {
        return audiences.contains(audience);
    }

    /** The claims as issued, for introspection. */
    public JsonWebToken claims() {
        return (JsonWebToken) identity.getPrincipal();
    }

    static VerifiedToken of(String raw, String kid, JwtClaims claims, UUID jti, UUID sessionId, UUID userId,
            List<String> roles, Instant issuedAt, Instant expiresAt, String jkt) throws MalformedClaimException {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new DefaultJWTCallerPrincipal(raw, "JWT", claims))
                .addRoles(Set.copyOf(roles))
                .addCredential(new TokenCredential(raw, jkt == null ? "bearer" : "dpop"));
        if (jkt != null) {
            identity.addAttribute(JKT_ATTRIBUTE, jkt);
        }
        return new VerifiedToken(kid, jti, sessionId, userId, claims.getSubject(),
                claims.getStringClaimValue("client_id"), List.copyOf(claims.getAudience()), issuedAt, expiresAt, jkt,
                claims.getStringClaimValue("preferred_username"), claims.getStringClaimValue("scope"), identity.build());
    }
}
