package dev.tokenservice.token;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;

/** Builds the tokens an attacker would try, next to well-formed ones signed with the service's key. */
final class HostileTokens {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final String kid;
    private final PrivateKey signingKey;
    private final PublicKey publicKey;

    HostileTokens(String issuer, String kid, PrivateKey signingKey, PublicKey publicKey) {
        this.issuer = issuer;
        this.kid = kid;
        this.signingKey = signingKey;
        this.publicKey = publicKey;
    }

    static JwtClaims claims(String issuer, Instant issuedAt, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("preferred_username", "mallory");
        claims.setStringListClaim("groups", List.of("user", "admin"));
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setAudience("token-service");
        claims.setClaim("client_id", "web");
        return claims;
    }

    JwtClaims validClaims() {
        Instant now = Instant.now();
        return claims(issuer, now, now.plusSeconds(600));
    }

    /** Signed with the real key: only the claims decide. */
    String signed(JwtClaims claims) {
        return sign(claims, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, signingKey, kid, "at+jwt");
    }

    String signedWithType(String type) {
        return sign(validClaims(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, signingKey, kid, type);
    }

    String algNone() {
        return segment("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}") + "."
                + segment(validClaims().toJson()) + ".";
    }

    /** HS256 keyed with the service's public key, as PEM text: the classic algorithm-confusion attack. */
    String hmacWithPublicKey() {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        JsonWebSignature jws = jws(validClaims(), AlgorithmIdentifiers.HMAC_SHA256, kid, "at+jwt");
        jws.setKey(new HmacKey(pem.getBytes(StandardCharsets.US_ASCII)));
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    /** A genuine token whose payload was swapped for one with more privileges, signature kept. */
    String editedPayload(String genuine) {
        String[] parts = genuine.split("\\.");
        return parts[0] + "." + segment(validClaims().toJson()) + "." + parts[2];
    }

    String unknownKid() {
        KeyPair attacker = ecKeyPair();
        return sign(validClaims(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, attacker.getPrivate(),
                "attacker-key", "at+jwt");
    }

    /** Signed by the attacker, who embeds the matching public key in the header and names the real kid. */
    String embeddedJwk() {
        KeyPair attacker = ecKeyPair();
        try {
            JsonWebSignature jws = jws(validClaims(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, kid, "at+jwt");
            jws.getHeaders().setJwkHeaderValue("jwk", PublicJsonWebKey.Factory.newPublicJwk(attacker.getPublic()));
            jws.setKey(attacker.getPrivate());
            return serialize(jws);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A genuine header and payload with the ECDSA signature r = s = 0. */
    String zeroSignature(String genuine) {
        String[] parts = genuine.split("\\.");
        return parts[0] + "." + parts[1] + "." + B64URL.encodeToString(new byte[64]);
    }

    private String sign(JwtClaims claims, String algorithm, PrivateKey key, String keyId, String type) {
        JsonWebSignature jws = jws(claims, algorithm, keyId, type);
        jws.setKey(key);
        return serialize(jws);
    }

    private static JsonWebSignature jws(JwtClaims claims, String algorithm, String keyId, String type) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", type);
        return jws;
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String segment(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
