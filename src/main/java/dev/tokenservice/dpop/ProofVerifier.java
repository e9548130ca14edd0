package dev.tokenservice.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import dev.tokenservice.Sha256;
import dev.tokenservice.token.TokenConfig;
import dev.tokenservice.web.PublicUrl;

/**
 * Checks a DPoP proof (RFC 9449 §4.3) by itself: a compact JWS of {@code typ: dpop+jwt}, signed with an allowed
 * asymmetric algorithm by the public key in its own {@code jwk} header (which must hold no private part), with a
 * {@code jti}, the request's method as {@code htm}, the endpoint's public URL as {@code htu} (without query and
 * fragment; the public URL is {@link PublicUrl}'s, never the request's {@code Host}, and when the service does not
 * know it only the path is compared), an {@code iat} within the window, {@code ath} the hash of the access token
 * presented with it, and the server's nonce when one is required. Whether the proof was used before is
 * {@link ProofReplay}'s question.
 */
@ApplicationScoped
public class ProofVerifier {

    /** The proof algorithms accepted, as discovery lists them. */
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "ES512", "PS256", "RS256");

    static final String TYPE = "dpop+jwt";
    /** Larger proofs are refused before parsing; a proof with a 4096-bit RSA key is about 2 KiB. */
    static final int MAX_PROOF_LENGTH = 8192;
    static final int MAX_JTI_LENGTH = 256;

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final AlgorithmConstraints PERMITTED = new AlgorithmConstraints(ConstraintType.PERMIT,
            ALGORITHMS.toArray(String[]::new));

    private final Clock clock;
    private final PublicUrl publicUrl;
    private final DpopNonces nonces;
    private final long maxAgeSeconds;
    private final long skewSeconds;

    public ProofVerifier(Clock clock, PublicUrl publicUrl, DpopNonces nonces, DpopConfig dpop, TokenConfig tokens) {
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.nonces = nonces;
        this.maxAgeSeconds = dpop.proofMaxAge().toSeconds();
        this.skewSeconds = tokens.clockSkew().toSeconds();
    }

    /**
     * The checked proof.
     *
     * @param method the request's method
     * @param path the request's path, as received (percent-encoded)
     * @param accessToken the access token the proof must be bound to by {@code ath}; null at the token endpoints
     * @throws DpopException invalid_dpop_proof, or use_dpop_nonce when a nonce is required and missing or stale
     */
    public DpopProof verify(String proof, String method, String path, String accessToken) {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_LENGTH) {
            throw DpopException.invalidProof("proof_size", "the DPoP proof is missing or larger than "
                    + MAX_PROOF_LENGTH + " characters");
        }
        JsonWebSignature jws = new JsonWebSignature();
        PublicJsonWebKey jwk;
        JwtClaims claims;
        try {
            jws.setCompactSerialization(proof);
            if (!TYPE.equals(jws.getHeader("typ"))) {
                throw DpopException.invalidProof("proof_type", "the DPoP proof's typ must be dpop+jwt");
            }
            if (!ALGORITHMS.contains(jws.getAlgorithmHeaderValue())) {
                throw DpopException.invalidProof("proof_alg", "the DPoP proof's alg must be one of " + ALGORITHMS);
            }
            jwk = jws.getJwkHeader();
            if (jwk == null || jwk.getPrivateKey() != null || !isBounded(jwk)) {
                throw DpopException.invalidProof("proof_jwk", "the DPoP proof's jwk header must hold a public key "
                        + "(RSA: 2048 to 4096 bits, exponent 65537)");
            }
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (JoseException | org.jose4j.jwt.consumer.InvalidJwtException | ClassCastException
                | IllegalArgumentException e) {
            throw DpopException.invalidProof("proof_malformed", "the DPoP proof is not a valid signed JWT");
        }
        // the claims first: a stale, misdirected or malformed proof costs no signature verification
        DpopProof checked;
        try {
            checked = checked(claims, jwk, method, path, accessToken);
        } catch (MalformedClaimException | ClassCastException e) {
            throw DpopException.invalidProof("proof_claims", "the DPoP proof's claims are malformed");
        }
        try {
            jws.setAlgorithmConstraints(PERMITTED);
            jws.setKey(jwk.getPublicKey());
            if (jws.verifySignature()) {
                return checked;
            }
        } catch (JoseException | IllegalArgumentException e) {
            // a key that does not fit the algorithm: refused below like a wrong signature
        }
        throw DpopException.invalidProof("proof_signature", "the DPoP proof's signature does not verify");
    }

    /**
     * An RSA key's size bounds what verifying its signature costs: a modulus of at most 4096 bits and the usual
     * exponent, so that no proof can make a node spend more on it than on any honest one. EC keys are bounded by
     * their curve, which the algorithm fixes.
     */
    private static boolean isBounded(PublicJsonWebKey jwk) {
        if (jwk instanceof RsaJsonWebKey rsa) {
            int bits = rsa.getRsaPublicKey().getModulus().bitLength();
            return bits >= 2048 && bits <= 4096 && RSAKeyGenParameterSpec.F4.equals(rsa.getRsaPublicKey().getPublicExponent());
        }
        return jwk instanceof EllipticCurveJsonWebKey;
    }

    private DpopProof checked(JwtClaims claims, PublicJsonWebKey jwk, String method, String path, String accessToken)
            throws MalformedClaimException {
        String jti = claims.getJwtId();
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw DpopException.invalidProof("proof_jti", "the DPoP proof needs a jti of at most " + MAX_JTI_LENGTH
                    + " characters");
        }
        if (!method.equals(claims.getStringClaimValue("htm"))) {
            throw DpopException.invalidProof("proof_htm", "the DPoP proof's htm is not this request's method");
        }
        if (!matchesEndpoint(claims.getStringClaimValue("htu"), path)) {
            throw DpopException.invalidProof("proof_htu", "the DPoP proof's htu is not this endpoint's URL");
        }
        NumericDate issuedAt = claims.getIssuedAt();
        long now = clock.instant().getEpochSecond();
        if (issuedAt == null || issuedAt.getValue() < now - maxAgeSeconds || issuedAt.getValue() > now + skewSeconds) {
            throw DpopException.invalidProof("proof_iat", "the DPoP proof's iat is not within " + maxAgeSeconds
                    + " seconds of now");
        }
        String ath = claims.getStringClaimValue("ath");
        if (accessToken == null ? ath != null : !ath(accessToken).equals(ath)) {
            throw DpopException.invalidProof("proof_ath", accessToken == null
                    ? "a DPoP proof for a token endpoint carries no ath"
                    : "the DPoP proof's ath is not the hash of the access token");
        }
        nonces.check(claims.getStringClaimValue("nonce"));
        return new DpopProof(thumbprint(jwk), jti, issuedAt.getValue());
    }

    /** Whether {@code htu}, without query and fragment, names this service's endpoint at {@code path}. */
    boolean matchesEndpoint(String htu, String path) {
        URI proof = normalized(htu);
        if (proof == null || proof.getHost() == null
                || !("http".equals(proof.getScheme()) || "https".equals(proof.getScheme()))) {
            return false;
        }
        if (!publicUrl.isKnown()) {
            URI own = normalized(path);
            return own != null && pathOf(own).equals(pathOf(proof));
        }
        URI own = normalized(publicUrl.base() + path);
        return own != null && own.getScheme().equals(proof.getScheme()) && own.getHost().equals(proof.getHost())
                && portOf(own) == portOf(proof) && pathOf(own).equals(pathOf(proof));
    }

    /** RFC 3986 §6.2.2 and §6.2.3: scheme and host case-insensitive, default ports and dot segments away. */
    private static URI normalized(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text).normalize();
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
            return new URI(scheme, null, host, uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String pathOf(URI uri) {
        return uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    }

    private static int portOf(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** RFC 9449 §4.2: base64url of the SHA-256 of the access token's ASCII text. */
    public static String ath(String accessToken) {
        return B64URL.encodeToString(Sha256.of(accessToken));
    }

    private static String thumbprint(PublicJsonWebKey jwk) {
        return jwk.calculateBase64urlEncodedThumbprint("SHA-256");
    }
}
