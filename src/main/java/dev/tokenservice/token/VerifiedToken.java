package dev.tokenservice.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;

/** An access token whose signature and claims have been checked (revocation not included). */
public record VerifiedToken(String raw, String kid, JwtClaims claims, UUID jti, UUID sessionId, UUID userId,
        String username, List<String> roles, Instant issuedAt, Instant expiresAt) {
}
