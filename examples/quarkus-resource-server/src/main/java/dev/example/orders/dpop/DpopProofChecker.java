package dev.example.orders.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * DPoP (RFC 9449 §4.3, §7) on the resource server's side, with jose4j: a token bound to a key
 * (claim {@code cnf.jkt}) is accepted only with the DPoP scheme and a fresh proof, signed by that
 * key, of this very request; a bound token sent as Bearer is refused. Unbound tokens keep working
 * as Bearer.
 */
public final class DpopProofChecker {

    /** asymmetric algorithms accepted for proofs; never none, never HS* */
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "ES512", "PS256", "RS256");
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";

    static final int MAX_PROOF_LENGTH = 8192;
    static final int MAX_JTI_LENGTH = 256;
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    // members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4)
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9a-fA-F]{2}");

    private final String base;
    private final long clockToleranceS;
    private final long maxAgeS;
    private final ReplayCache replay;
    private final Clock clock;

    /**
     * @param publicUrl the URL clients reach this service's root at (from config, never from the
     *        Host header); a proof's htu must be it followed by the request's path
     */
    public DpopProofChecker(String publicUrl, long clockToleranceS, long maxAgeS, ReplayCache replay, Clock clock) {
        String normalized = normalizeHtu(publicUrl);
        if (normalized == null) {
            throw new IllegalArgumentException("the public URL is not an http(s) URL: " + publicUrl);
        }
        this.base = normalized.replaceAll("/+$", "");
        this.clockToleranceS = clockToleranceS;
        this.maxAgeS = maxAgeS;
        this.replay = replay;
        this.clock = clock;
    }

    /** The WWW-Authenticate value of a DPoP refusal; descriptions are this class's own fixed strings. */
    public static String challenge(String error, String description) {
        StringBuilder value = new StringBuilder("DPoP algs=\"").append(String.join(" ", ALGORITHMS)).append('"');
        if (error != null) {
            value.append(", error=\"").append(error).append('"');
        }
        if (description != null) {
            value.append(", error_description=\"").append(description.replaceAll("[\"\\\\]", "")).append('"');
        }
        return value.toString();
    }

    /**
     * The URL a proof's htu is compared on: scheme and host lower-cased, default port dropped, dot
     * segments removed, percent-escapes upper-cased; query and fragment left out. null when not http(s).
     */
    public static String normalizeHtu(String value) {
        URI uri;
        try {
            uri = new URI(value).normalize();
        } catch (URISyntaxException | NullPointerException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Matcher escapes = PERCENT_ESCAPE.matcher(path);
        path = escapes.replaceAll(escape -> escape.group().toUpperCase(Locale.ROOT));
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    /** the htu a proof of a request for this raw path must carry, normalised */
    public String expectedHtu(String rawPath) {
        return normalizeHtu(base + (rawPath.startsWith("/") ? rawPath : "/" + rawPath));
    }

    /**
     * Checks the binding of a verified access token to the request; throws on refusal.
     *
     * @param method the request's method
     * @param rawPath the request's path, still percent-encoded, without query
     * @param dpopScheme whether the token came as {@code Authorization: DPoP}, else as Bearer
     * @param token the access token as sent
     * @param hasCnf whether the verified token has a {@code cnf} claim
     * @param jkt its {@code cnf.jkt} when a string, else null
     * @param proofs the values of the request's DPoP headers
     */
    public void check(String method, String rawPath, boolean dpopScheme, String token, boolean hasCnf, String jkt,
            List<String> proofs) throws DpopException {
        if (!dpopScheme) {
            if (hasCnf) {
                throw new DpopException(INVALID_TOKEN, "a DPoP-bound token must be sent with the DPoP scheme and a proof");
            }
            return;
        }
        if (jkt == null || jkt.isEmpty()) {
            throw new DpopException(INVALID_TOKEN, "the token is not DPoP-bound");
        }
        if (proofs == null || proofs.size() != 1) {
            throw new DpopException(INVALID_DPOP_PROOF, "exactly one DPoP header is required");
        }
        String proof = proofs.get(0);
        if (proof == null || proof.length() > MAX_PROOF_LENGTH || !COMPACT_JWS.matcher(proof).matches()) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof is not a compact JWS of bounded size");
        }
        long nowS = clock.millis() / 1000;
        PublicJsonWebKey jwk;
        JwtClaims claims;
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(proof);
            if (!ALGORITHMS.contains(jws.getAlgorithmHeaderValue())) {
                throw new DpopException(INVALID_DPOP_PROOF, "the proof's alg is not allowed");
            }
            if (!"dpop+jwt".equalsIgnoreCase(jws.getHeader("typ"))) {
                throw new DpopException(INVALID_DPOP_PROOF, "the proof's typ is not dpop+jwt");
            }
            if (!(jws.getHeaders().getObjectHeaderValue("jwk") instanceof Map<?, ?> jwkHeader)) {
                throw new DpopException(INVALID_DPOP_PROOF, "the proof has no jwk header");
            }
            if (PRIVATE_MEMBERS.stream().anyMatch(jwkHeader::containsKey)) {
                throw new DpopException(INVALID_DPOP_PROOF, "the proof's jwk is not a public key");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) jwkHeader;
            jwk = PublicJsonWebKey.Factory.newPublicJwk(params);
            jws.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new)));
            jws.setKey(jwk.getPublicKey());
            if (!jws.verifySignature()) {
                throw new DpopException(INVALID_DPOP_PROOF, "the proof's signature is invalid");
            }
            claims = JwtClaims.parse(jws.getPayload());
        } catch (JoseException | InvalidJwtException | RuntimeException e) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof is malformed or its signature is invalid");
        }
        String jti = stringClaim(claims, "jti");
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof's jti is missing or too long");
        }
        if (!method.equals(stringClaim(claims, "htm"))) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof's htm is not the request method");
        }
        String htu = stringClaim(claims, "htu");
        if (htu == null || !expectedHtu(rawPath).equals(normalizeHtu(htu))) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof's htu is not the request URL");
        }
        long iat;
        try {
            NumericDate issuedAt = claims.getIssuedAt();
            if (issuedAt == null) {
                throw new DpopException(INVALID_DPOP_PROOF, "the proof has no iat");
            }
            iat = issuedAt.getValue();
        } catch (MalformedClaimException e) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof's iat is not a number");
        }
        long age = nowS - iat;
        if (age > maxAgeS) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof is too old");
        }
        if (age < -clockToleranceS) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof's iat is in the future");
        }
        if (!ath(token).equals(stringClaim(claims, "ath"))) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof's ath is not the hash of the access token");
        }
        String thumbprint;
        try {
            thumbprint = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (RuntimeException e) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof's jwk has no thumbprint");
        }
        if (!thumbprint.equals(jkt)) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof is not signed by the key the token is bound to");
        }
        // last: only a proof that passed every other check takes a place in the set
        if (!replay.remember(jti, iat + maxAgeS, nowS)) {
            throw new DpopException(INVALID_DPOP_PROOF, "the proof has been used already");
        }
    }

    /** base64url(SHA-256(ASCII of the access token)), the proof's ath */
    public static String ath(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stringClaim(JwtClaims claims, String name) {
        return claims.getClaimValue(name) instanceof String value ? value : null;
    }
}
