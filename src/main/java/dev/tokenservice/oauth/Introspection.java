package dev.tokenservice.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.tokenservice.revocation.RevocationStore;
import dev.tokenservice.token.InvalidTokenException;
import dev.tokenservice.token.TokenMetrics;
import dev.tokenservice.token.TokenService;
import dev.tokenservice.token.TokenVerifier;
import dev.tokenservice.token.VerifiedToken;

/**
 * RFC 7662 answers from this node alone: the token is verified (from the verified-token cache after the first
 * time) and looked up in the node's revocation mirror, with no Redis or database call. Anything not active
 * (revoked, expired, malformed, not ours, a refresh token) is {@code {"active":false}} alike.
 */
@ApplicationScoped
public class Introspection {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final TokenService tokens;
    private final TokenVerifier verifier;
    private final RevocationStore revocations;
    private final TokenMetrics metrics;

    public Introspection(TokenService tokens, TokenVerifier verifier, RevocationStore revocations,
            TokenMetrics metrics) {
        this.tokens = tokens;
        this.verifier = verifier;
        this.revocations = revocations;
        this.metrics = metrics;
    }

    /**
     * @throws dev.tokenservice.revocation.RevocationUnavailableException this node's mirror is not current, so
     *         whether the token is revoked is unknown (503)
     */
    public Map<String, Object> introspect(String token) {
        VerifiedToken verified;
        try {
            verified = tokens.verifyIssued(token);
        } catch (InvalidTokenException e) {
            metrics.rejected(e.reason());
            return INACTIVE;
        }
        boolean revoked = revocations.isRevoked(verified.jti(), verified.sessionId(), verified.userId(),
                verified.issuedAt()).await().indefinitely();
        return revoked ? INACTIVE : active(verified);
    }

    /**
     * The answer, when this node can give it from memory alone: a token that verifies from the cache (or does not
     * verify at all) and that the current mirror certainly does not hold. Empty otherwise (a key to re-read, a token
     * the mirror holds or a mirror not current): the caller takes the request to {@link #introspect} on a worker.
     */
    public Optional<Map<String, Object>> introspectFromMemory(String token) {
        VerifiedToken verified;
        try {
            verified = verifier.verifyAnyAudience(token);
        } catch (InvalidTokenException e) {
            if ("unknown_kid".equals(e.reason())) {
                return Optional.empty();
            }
            metrics.rejected(e.reason());
            return Optional.of(INACTIVE);
        }
        if (!revocations.isCertainlyLive(verified.jti(), verified.sessionId(), verified.userId(), verified.issuedAt())) {
            return Optional.empty();
        }
        return Optional.of(active(verified));
    }

    private static Map<String, Object> active(VerifiedToken token) {
        JsonWebToken claims = token.claims();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("token_type", token.jkt() == null ? "Bearer" : "DPoP");
        answer.put("iss", claims.getIssuer());
        answer.put("sub", token.subject());
        answer.put("client_id", token.clientId());
        List<String> audiences = token.audiences();
        answer.put("aud", audiences.size() == 1 ? audiences.get(0) : audiences);
        answer.put("iat", token.issuedAt().getEpochSecond());
        answer.put("exp", token.expiresAt().getEpochSecond());
        answer.put("jti", token.jti().toString());
        putIfPresent(answer, "username", token.username());
        putIfPresent(answer, "scope", token.scope());
        if (token.jkt() != null) {
            answer.put("cnf", Map.of("jkt", token.jkt()));
        }
        return answer;
    }

    private static void putIfPresent(Map<String, Object> answer, String name, Object value) {
        if (value != null) {
            answer.put(name, value.toString());
        }
    }
}
