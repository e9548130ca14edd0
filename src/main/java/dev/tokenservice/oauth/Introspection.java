package dev.tokenservice.oauth;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.io.JsonStringEncoder;


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

    static final String INACTIVE = "{\"active\":false}";

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
    public String introspect(String token) {
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
    public Optional<String> introspectFromMemory(String token) {
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

    /** The RFC 7662 answer for an active token, written directly: the same fields whatever Jackson is configured to. */
    private static String active(VerifiedToken token) {
        StringBuilder json = new StringBuilder(512).append("{\"active\":true,\"token_type\":")
                .append(token.jkt() == null ? "\"Bearer\"" : "\"DPoP\"");
        field(json, "iss", token.claims().getIssuer());
        field(json, "sub", token.subject());
        field(json, "client_id", token.clientId());
        List<String> audiences = token.audiences();
        if (audiences.size() == 1) {
            field(json, "aud", audiences.get(0));
        } else {
            json.append(",\"aud\":[");
            for (int i = 0; i < audiences.size(); i++) {
                json.append(i == 0 ? "" : ",").append(quoted(audiences.get(i)));
            }
            json.append(']');
        }
        json.append(",\"iat\":").append(token.issuedAt().getEpochSecond())
                .append(",\"exp\":").append(token.expiresAt().getEpochSecond());
        field(json, "jti", token.jti().toString());
        field(json, "username", token.username());
        field(json, "scope", token.scope());
        if (token.jkt() != null) {
            json.append(",\"cnf\":{\"jkt\":").append(quoted(token.jkt())).append('}');
        }
        return json.append('}').toString();
    }

    /** Appends {@code ,"name":"value"}, nothing for a null value. */
    private static void field(StringBuilder json, String name, String value) {
        if (value != null) {
            json.append(",\"").append(name).append("\":").append(quoted(value));
        }
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
