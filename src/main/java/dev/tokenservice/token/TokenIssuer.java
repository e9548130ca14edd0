package dev.tokenservice.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

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

    /** A token pair for the session: a fresh access token with the grant's refresh token. */
    public TokenPair issue(SessionGrant grant) {
        long now = clock.instant().getEpochSecond();
        ActiveKey key = keys.active();
        StringBuilder claims = new StringBuilder(320)
                .append("{\"iss\":").append(quotedIssuer)
                .append(",\"sub\":\"").append(grant.userId())
                .append("\",\"preferred_username\":").append(quoted(grant.username()))
                .append(",\"groups\":[");
        for (int i = 0; i < grant.roles().size(); i++) {
            claims.append(i == 0 ? "" : ",").append(quoted(grant.roles().get(i)));
        }
        claims.append("],\"iat\":").append(now)
                .append(",\"exp\":").append(now + lifetime.toSeconds())
                .append(",\"jti\":\"").append(UUID.randomUUID())
                .append("\",\"sid\":\"").append(grant.sessionId())
                .append("\"}");
        String signingInput = headerOf(key.kid()) + "." + B64URL.encodeToString(utf8(claims.toString()));
        String accessToken = signingInput + "." + B64URL.encodeToString(sign(key, signingInput));
        long refreshExpiresIn = Math.max(0, Duration.between(clock.instant(), grant.expiresAt()).toSeconds());
        return new TokenPair(accessToken, "Bearer", lifetime.toSeconds(), grant.refreshToken(), refreshExpiresIn);
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
