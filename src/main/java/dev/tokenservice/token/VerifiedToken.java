package dev.tokenservice.token;

import java.time.Instant;
import java.util.List;

import org.jose4j.jwt.JwtClaims;

/** An access token whose signature and claims have been checked (revocation not included). */
public record VerifiedToken(String raw, JwtClaims claims, String jti, String sessionId, String userId,
        String username, List<String> roles, Instant issuedAt, Instant expiresAt) {
}
