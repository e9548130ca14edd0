package dev.tokenservice.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.tokenservice.client.RegisteredClient;
import dev.tokenservice.key.SigningKeys;
import dev.tokenservice.key.SigningKeys.ActiveKey;
import dev.tokenservice.session.SessionGrant;

/**
 * Signs access tokens (RFC 9068 {@code at+jwt}) with the active key. A JWS is two small JSON documents and one
 * signature, so it is assembled here directly: the header is fixed per key, the claims are written in one pass,
 * and the JDK signs ES256 in the JWS form (r and s, 32 bytes each: {@code SHA256withECDSAinP1363Format}).
 * {@code TokenVerifier} checks what this writes with jose4j, independently.
 */
@ApplicationScoped
public class TokenIssuer {

    static final String TYPE = "at+jwt";
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;
    private final Clock clock;
    private final String quotedIssuer;
    private final Duration lifetime;
    private volatile EncodedHeader header = new EncodedHeader("", "");

    public TokenIssuer(SigningKeys keys, Clock clock, TokenConfig config) {
        this.keys = keys;
        this.clock = clock;
        this.quotedIssuer = quoted(config.issuer());
        this.lifetime = config.accessToken().lifetime();
    }

    /**
     * A token pair for the session: a fresh access token for the user and client, with the grant's refresh token;
     * bound to the session's DPoP key, if it has one ({@code cnf.jkt}, {@code token_type} DPoP).
     */
    public TokenPair issue(SessionGrant grant, RegisteredClient client) {
        StringBuilder claims = commonClaims(grant.userId().toString(), client, client.audiences())
                .append(",\"preferred_username\":").append(quoted(grant.username()))
                .append(",\"groups\":").append(array(grant.roles()))
                .append(",\"sid\":\"").append(grant.sessionId()).append('"');
        confirmation(claims, grant.dpopJkt());
        long refreshExpiresIn = Math.max(0, Duration.between(clock.instant(), grant.expiresAt()).toSeconds());
        return new TokenPair(signed(claims), tokenType(grant.dpopJkt()), lifetime.toSeconds(), grant.refreshToken(),
                refreshExpiresIn);
    }

    /**
     * A client's own access token ({@code client_credentials}): {@code sub} and {@code client_id} are the client,
     * with no user, session or refresh token; bound to a DPoP key when {@code jkt} is not null.
     */
    public ClientToken issue(RegisteredClient client, List<String> audiences, List<String> scopes, String jkt) {
        StringBuilder claims = commonClaims(client.id(), client, audiences);
        String scope = scopes.isEmpty() ? null : String.join(" ", scopes);
        if (scope != null) {
            claims.append(",\"scope\":").append(quoted(scope));
        }
        confirmation(claims, jkt);
        return new ClientToken(signed(claims), tokenType(jkt), lifetime.toSeconds(), scope);
    }

    /** RFC 9449 §6.1: the thumbprint of the key the token is bound to, if any. */
    private static void confirmation(StringBuilder claims, String jkt) {
        if (jkt != null) {
            claims.append(",\"cnf\":{\"jkt\":").append(quoted(jkt)).append('}');
        }
    }

    private static String tokenType(String jkt) {
        return jkt == null ? "Bearer" : "DPoP";
    }

    /** {@code aud} is a string for one audience and an array for several (RFC 7519 §4.1.3 allows both). */
    private StringBuilder commonClaims(String subject, RegisteredClient client, List<String> audiences) {
        return new StringBuilder(384)
                .append("{\"iss\":").append(quotedIssuer)
                .append(",\"sub\":").append(quoted(subject))
                .append(",\"aud\":").append(audiences.size() == 1 ? quoted(audiences.get(0)) : array(audiences))
                .append(",\"client_id\":").append(quoted(client.id()));
    }

    /** Adds {@code iat}, {@code exp} and {@code jti}, closes the claims and signs them with the active key. */
    private String signed(StringBuilder claims) {
        long now = clock.instant().getEpochSecond();
        ActiveKey key = keys.active();
        claims.append(",\"iat\":").append(now)
                .append(",\"exp\":").append(now + lifetime.toSeconds())
                .append(",\"jti\":\"").append(UUID.randomUUID())
                .append("\"}");
        String signingInput = headerOf(key.kid()) + "." + B64URL.encodeToString(utf8(claims.toString()));
        return signingInput + "." + B64URL.encodeToString(sign(key, signingInput));
    }

    private static String array(List<String> values) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            json.append(i == 0 ? "" : ",").append(quoted(values.get(i)));
        }
        return json.append(']').toString();
    }

    private String headerOf(String kid) {
        EncodedHeader current = header;
        if (!current.kid().equals(kid)) {
            String json = "{\"alg\":\"ES256\",\"typ\":\"" + TYPE + "\",\"kid\":" + quoted(kid) + "}";
            current = new EncodedHeader(kid, B64URL.encodeToString(utf8(json)));
            header = current;
        }
        return current.encoded();
    }

    private static byte[] sign(ActiveKey key, String signingInput) {
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initSign(key.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the active key " + key.kid(), e);
        }
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record EncodedHeader(String kid, String encoded) {
    }
}
