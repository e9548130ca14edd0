package dev.tokenservice.token;

import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.tokenservice.client.ClientConfig;
import dev.tokenservice.key.SigningKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Verifies access tokens, pinned: ES256 only, the key chosen by {@code kid} from our own key set (never from the
 * token's {@code jwk}, {@code jku}, {@code x5u} or {@code x5c}), {@code typ: at+jwt}, our issuer, and
 * {@code jti}, {@code sub}, {@code aud}, {@code client_id}, {@code exp} and {@code iat} all required. A user's
 * token also needs {@code sid}, {@code preferred_username} and {@code groups}; a token without {@code sid} is a
 * client's own, whose {@code sub} must be its {@code client_id}.
 */
@ApplicationScoped
// the weight-bounded cache's class, which Caffeine loads by name and Quarkus registers only for size-bounded caches
@RegisterForReflection(classNames = "com.github.benmanes.caffeine.cache.SSMWA")
public class TokenVerifier {

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    /** An RFC 7638 SHA-256 thumbprint, base64url: 43 characters. */
    private static final Pattern JKT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private static final int ENTRY_OVERHEAD = 3072;

    /** Larger tokens are refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private final SigningKeys keys;
    private final Clock clock;
    private final String issuer;
    private final String audience;
    private final int skewSeconds;
    private final int maxAgeSeconds;
    /** Verified tokens by their exact text: a different encoding of the same token misses and is verified anew. */
    private final Cache<String, VerifiedToken> verified;

    public TokenVerifier(SigningKeys keys, Clock clock, TokenConfig config, ClientConfig clients) {
        this.keys = keys;
        this.clock = clock;
        this.issuer = config.issuer();
        this.audience = clients.audience();
        this.skewSeconds = Math.toIntExact(config.clockSkew().toSeconds());
        this.maxAgeSeconds = Math.toIntExact(config.accessToken().lifetime().plus(config.clockSkew()).toSeconds());
        this.verified = Caffeine.newBuilder()
                .maximumWeight(config.accessToken().cacheMemory().asLongValue())
                .weigher((String raw, VerifiedToken token) -> weight(raw))
                .expireAfter(Expiry.creating((String raw, VerifiedToken token) -> Duration.between(clock.instant(),
                        acceptedUntil(token))))
                .build();
    }

    /**
     * The heap an entry retains, measured with full collections (bench/abuse.sh): about 3 KiB of parsed claims and
     * identity, and the token's text twice (as the key and in the claims), one byte a character.
     */
    static int weight(String raw) {
        return ENTRY_OVERHEAD + 2 * raw.length();
    }

    /** Verifies a token for this service's own endpoints: its {@code aud} must hold {@code auth.audience}. */
    public VerifiedToken verify(String token) {
        VerifiedToken verified = verifyAnyAudience(token);
        if (!verified.isFor(audience)) {
            throw new InvalidTokenException("audience", "the token is not meant for this service");
        }
        return verified;
    }

    /** Verifies a token of ours for whatever audience: for revocation and introspection. */
    public VerifiedToken verifyAnyAudience(String token) {
        VerifiedToken cached = verified.getIfPresent(token);
        if (cached != null && isStillValid(cached)) {
            return cached;
        }
        VerifiedToken fresh = verifyFully(token);
        verified.put(token, fresh);
        return fresh;
    }

    /** A cached token still expires, and its key may have been retired or superseded since it was cached. */
    private boolean isStillValid(VerifiedToken token) {
        return !clock.instant().isAfter(acceptedUntil(token)) && keys.verificationKey(token.kid()).isPresent()
                && !isSignedAfterSupersession(token);
    }

    /**
     * Checks what jose4j does not: a token may not live longer than we issue tokens for, and a key that stopped
     * signing at T signed nothing after T (plus the skew), so a fresh token from a holder of an old key is a forgery.
     */
    private VerifiedToken checkLifetimeAndKey(VerifiedToken token) {
        if (Duration.between(token.issuedAt(), token.expiresAt()).toSeconds() > maxAgeSeconds) {
            throw new InvalidTokenException("lifetime", "the token is not valid");
        }
        if (isSignedAfterSupersession(token)) {
            throw new InvalidTokenException("key_superseded", "the token is not valid");
        }
        return token;
    }

    private boolean isSignedAfterSupersession(VerifiedToken token) {
        return keys.supersededAt(token.kid())
                .filter(supersededAt -> token.issuedAt().isAfter(supersededAt.plusSeconds(skewSeconds)))
                .isPresent();
    }

    /** The last instant a token is accepted: its {@code exp} plus the allowed clock skew. */
    private Instant acceptedUntil(VerifiedToken token) {
        return token.expiresAt().plusSeconds(skewSeconds);
    }

    private VerifiedToken verifyFully(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("too_large", "the token is too large");
        }
        if (!isCanonicalJws(token)) {
            throw new InvalidTokenException("malformed", "the token is not a signed JWT in canonical encoding");
        }
        try {
            JwtContext context = consumer().process(token);
            return checkLifetimeAndKey(toVerified(token, context.getJoseObjects().get(0).getKeyIdHeaderValue(),
                    context.getJwtClaims()));
        } catch (InvalidJwtException e) {
            throw new InvalidTokenException(reasonOf(e), "the token is not valid");
        } catch (MalformedClaimException | ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidTokenException("malformed_claim", "the token is not valid");
        }
    }

    /**
     * Three segments of unpadded base64url whose bits re-encode to the same text. jose4j would accept padding,
     * the standard alphabet and spare trailing bits; refusing them keeps exactly one accepted text per token.
     */
    static boolean isCanonicalJws(String token) {
        String[] segments = token.split("\\.", -1);
        if (segments.length != 3) {
            return false;
        }
        for (String segment : segments) {
            if (segment.isEmpty() || !BASE64URL.matcher(segment).matches() || !reencodesTo(segment)) {
                return false;
            }
        }
        return true;
    }

    private static boolean reencodesTo(String segment) {
        try {
            return B64URL.encodeToString(B64URL_DECODER.decode(segment)).equals(segment);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private JwtConsumer consumer() {
        return new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setJweAlgorithmConstraints(ConstraintType.PERMIT)
                .setVerificationKeyResolver((jws, nesting) -> resolveKey(jws.getKeyIdHeaderValue()))
                .setExpectedType(true, TokenIssuer.TYPE)
                .setExpectedIssuer(true, issuer)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .setSkipDefaultAudienceValidation()
                .setIssuedAtRestrictions(skewSeconds, maxAgeSeconds)
                .setAllowedClockSkewInSeconds(skewSeconds)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
    }

    private Key resolveKey(String kid) throws UnresolvableKeyException {
        if (kid == null) {
            throw new UnresolvableKeyException("no kid");
        }
        return keys.verificationKey(kid).orElseThrow(() -> new UnresolvableKeyException("unknown kid"));
    }

    private static VerifiedToken toVerified(String raw, String kid, JwtClaims claims) throws MalformedClaimException {
        String sessionId = claims.getStringClaimValue("sid");
        String clientId = claims.getStringClaimValue("client_id");
        if (clientId == null || !claims.hasAudience() || claims.getAudience().isEmpty()) {
            throw new InvalidTokenException("missing_claim", "the token is not valid");
        }
        UUID jti = UUID.fromString(claims.getJwtId());
        Instant issuedAt = Instant.ofEpochSecond(claims.getIssuedAt().getValue());
        Instant expiresAt = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
        String jkt = confirmationOf(claims);
        if (sessionId == null) {
            if (!clientId.equals(claims.getSubject())) {
                throw new InvalidTokenException("missing_claim", "the token is not valid");
            }
            return VerifiedToken.of(raw, kid, claims, jti, null, null, List.of(), issuedAt, expiresAt, jkt);
        }
        if (claims.getStringClaimValue("preferred_username") == null || !claims.hasClaim("groups")) {
            throw new InvalidTokenException("missing_claim", "the token is not valid");
        }
        return VerifiedToken.of(raw, kid, claims, jti, UUID.fromString(sessionId),
                UUID.fromString(claims.getSubject()), claims.getStringListClaimValue("groups"), issuedAt, expiresAt, jkt);
    }

    /** {@code cnf.jkt} (RFC 9449 §6.1): null without {@code cnf}; a {@code cnf} without a thumbprint is malformed. */
    private static String confirmationOf(JwtClaims claims) {
        Object cnf = claims.getClaimValue("cnf");
        if (cnf == null) {
            return null;
        }
        if (cnf instanceof Map<?, ?> confirmation && confirmation.get("jkt") instanceof String jkt
                && JKT.matcher(jkt).matches()) {
            return jkt;
        }
        throw new InvalidTokenException("malformed_claim", "the token is not valid");
    }

    private static String reasonOf(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "expired";
        }
        if (e.getCause() instanceof UnresolvableKeyException) {
            return "unknown_kid";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "signature";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "issuer";
        }
        if (e.hasErrorCode(ErrorCodes.TYPE_INVALID) || e.hasErrorCode(ErrorCodes.TYPE_MISSING)) {
            return "type";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID) || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return "not_yet_valid";
        }
        return "invalid";
    }
}
