package dev.tokenservice.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.key.SigningKeys;
import dev.tokenservice.key.SigningKeys.ActiveKey;
import dev.tokenservice.session.SessionGrant;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/** Signs access tokens (RFC 9068 {@code at+jwt}) with the active key. */
@ApplicationScoped
public class TokenIssuer {

    static final String TYPE = "at+jwt";

    private final SigningKeys keys;
    private final Clock clock;
    private final String issuer;
    private final Duration lifetime;

    public TokenIssuer(SigningKeys keys, Clock clock, TokenConfig config) {
        this.keys = keys;
        this.clock = clock;
        this.issuer = config.issuer();
        this.lifetime = config.accessToken().lifetime();
    }

    /** A token pair for the session: a fresh access token with the grant's refresh token. */
    public TokenPair issue(SessionGrant grant) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        ActiveKey key = keys.active();
        String accessToken = Jwt.issuer(issuer)
                .subject(grant.userId().toString())
                .claim("preferred_username", grant.username())
                .groups(new HashSet<>(grant.roles()))
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .claim("jti", UUID.randomUUID().toString())
                .claim("sid", grant.sessionId().toString())
                .jws()
                .algorithm(SignatureAlgorithm.ES256)
                .keyId(key.kid())
                .header("typ", TYPE)
                .sign(key.privateKey());
        long refreshExpiresIn = Math.max(0, Duration.between(clock.instant(), grant.expiresAt()).toSeconds());
        return new TokenPair(accessToken, "Bearer", lifetime.toSeconds(), grant.refreshToken(), refreshExpiresIn);
    }
}
