package dev.tokenservice.hostile;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import dev.tokenservice.Api;
import dev.tokenservice.Api.Tokens;

/**
 * Builds hostile tokens by hand, byte for byte: headers and payloads are JSON text we choose (duplicate keys, nesting,
 * odd types), signed with the service's real key, an attacker's key, an HMAC secret, or nothing. Genuine tokens come
 * from real logins.
 */
final class TokenFactory {

    static final String ISSUER = "token-service";
    static final String TYPE = "at+jwt";
    /** The order n of the P-256 group. */
    static final byte[] P256_ORDER = HexFormat.of()
            .parseHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String kid;
    private final PrivateKey signingKey;
    private final PublicKey publicKey;
    private Tokens session;

    TokenFactory(String kid, PrivateKey signingKey, PublicKey publicKey) {
        this.kid = kid;
        this.signingKey = signingKey;
        this.publicKey = publicKey;
    }

    String kid() {
        return kid;
    }

    // ---------------------------------------------------------------------------------------------------------
    // claims and headers

    /** The claims the service itself puts in an access token, valid now. */
    static JwtClaims validClaims() {
        Instant now = Instant.now();
        return claims(now, now.plusSeconds(600));
    }

    static JwtClaims claims(Instant issuedAt, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
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

    /** {@code {"alg":alg,"typ":"at+jwt","kid":kid}} as a mutable, ordered map. */
    Map<String, Object> header(String alg) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", TYPE);
        header.put("kid", kid);
        return header;
    }

    static String json(Map<String, ?> map) {
        return JsonUtil.toJson(map);
    }

    // ---------------------------------------------------------------------------------------------------------
    // signing

    /** ES256 over the exact header and payload text, with the service's real private key. */
    String signedByService(String headerJson, String payloadJson) {
        return es256(headerJson, payloadJson, signingKey);
    }

    /** A token the service would accept: real key, real kid, the given claims. */
    String signedByService(JwtClaims claims) {
        return signedByService(json(header("ES256")), claims.toJson());
    }

    static String es256(String headerJson, String payloadJson, PrivateKey key) {
        String input = segment(headerJson) + "." + segment(payloadJson);
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256/HS384/HS512 over valid claims with the real kid, keyed with {@code secret}. */
    String hmac(String alg, byte[] secret) {
        String input = segment(json(header(alg))) + "." + segment(validClaims().toJson());
        try {
            Mac mac = Mac.getInstance("Hmac" + "SHA" + alg.substring(2));
            mac.init(new SecretKeySpec(secret, mac.getAlgorithm()));
            return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Header and payload of a genuine-looking token with the raw signature bytes given. */
    String withSignatureBytes(byte[] signature) {
        String[] parts = parts(genuine());
        return parts[0] + "." + parts[1] + "." + B64URL.encodeToString(signature);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the service's public key, in the forms an attacker would try as an HMAC secret

    String publicKeyPem(boolean trailingNewline) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----" + (trailingNewline ? "\n" : "");
    }

    byte[] publicKeyDer() {
        return publicKey.getEncoded();
    }

    String publicKeyJwkJson() throws JoseException {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey);
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("ES256");
        return jwk.toJson(OutputControlLevel.PUBLIC_ONLY);
    }

    // ---------------------------------------------------------------------------------------------------------
    // attacker material

    static KeyPair attackerKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> publicJwk(PublicKey key) throws JoseException {
        return PublicJsonWebKey.Factory.newPublicJwk(key).toParams(OutputControlLevel.PUBLIC_ONLY);
    }

    /** A self-signed X.509 certificate for the attacker's key, named like the service; DER. */
    static byte[] selfSignedCertificate(KeyPair key) {
        try {
            long now = System.currentTimeMillis();
            X500Name name = new X500Name("CN=" + ISSUER);
            AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            V3TBSCertificateGenerator tbsGenerator = new V3TBSCertificateGenerator();
            tbsGenerator.setSerialNumber(new ASN1Integer(BigInteger.valueOf(now)));
            tbsGenerator.setIssuer(name);
            tbsGenerator.setSubject(name);
            tbsGenerator.setStartDate(new Time(new Date(now - 3_600_000)));
            tbsGenerator.setEndDate(new Time(new Date(now + 86_400_000)));
            tbsGenerator.setSignature(algorithm);
            tbsGenerator.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
            TBSCertificate tbs = tbsGenerator.generateTBSCertificate();
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key.getPrivate());
            signature.update(tbs.getEncoded(ASN1Encoding.DER));
            ASN1EncodableVector certificate = new ASN1EncodableVector();
            certificate.add(tbs);
            certificate.add(algorithm);
            certificate.add(new DERBitString(signature.sign()));
            byte[] der = new DERSequence(certificate).getEncoded(ASN1Encoding.DER);
            CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der))
                    .verify(key.getPublic());
            return der;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signed by an attacker key with valid claims; {@code extra} header members are added, and {@code keyId} is
     * the kid (none when null).
     */
    static String attackerSigned(KeyPair key, String keyId, Map<String, Object> extra) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", TYPE);
        if (keyId != null) {
            header.put("kid", keyId);
        }
        header.putAll(extra);
        return es256(json(header), validClaims().toJson(), key.getPrivate());
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------------------
    // genuine tokens from real logins

    /** The access token of one real login (made once per factory). */
    String genuine() {
        if (session == null) {
            session = Api.newSession();
        }
        return session.accessToken();
    }

    /** The access token of a real login of a new account with this username. */
    String genuineFor(String username) {
        Api.register(username, Api.PASSWORD).then().statusCode(201);
        return Api.loginAs(username, Api.PASSWORD).accessToken();
    }

    /**
     * A genuine access token whose compact form satisfies {@code condition} (for instance a signature holding a
     * {@code -} or {@code _}), from repeated logins of one account; null when none came within the attempts.
     */
    String genuineWhere(Predicate<String> condition) {
        String token = genuine();
        for (int attempt = 0; attempt < 40 && !condition.test(token); attempt++) {
            token = Api.loginAs(session.username(), Api.PASSWORD).accessToken();
        }
        return condition.test(token) ? token : null;
    }

    /** A genuine access token that has been logged out (204); null if none satisfied the condition. */
    String revokedWhere(Predicate<String> condition) {
        String username = Api.randomUsername();
        Api.register(username, Api.PASSWORD).then().statusCode(201);
        String token = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            String candidate = Api.loginAs(username, Api.PASSWORD).accessToken();
            if (condition.test(candidate)) {
                token = candidate;
                break;
            }
        }
        if (token == null) {
            return null;
        }
        Api.bearer(token).post("/auth/logout").then().statusCode(204);
        Api.greeting(token).then().statusCode(401);
        return token;
    }

    // ---------------------------------------------------------------------------------------------------------
    // re-encodings of compact serialisations

    static String[] parts(String token) {
        return token.split("\\.", -1);
    }

    static String segment(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String segment(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    /** Base64 padding: what the length calls for, or {@code ==} when it calls for none. */
    static String padded(String segment) {
        int missing = (4 - segment.length() % 4) % 4;
        return segment + "=".repeat(missing == 0 ? 2 : missing);
    }

    static boolean hasUrlOnlyCharacters(String segment) {
        return segment.indexOf('-') >= 0 || segment.indexOf('_') >= 0;
    }

    /** The standard alphabet ({@code +/}) where base64url has {@code -_}. */
    static String standardAlphabet(String segment) {
        return segment.replace('-', '+').replace('_', '/');
    }

    /**
     * The same bytes with other text: flips the lowest bit of the last character, which lies in the unused bits when
     * the length is not a multiple of four (86 characters for a 64-byte signature).
     */
    static String nonCanonical(String segment) {
        if (segment.length() % 4 == 0) {
            throw new IllegalArgumentException("no unused bits in a segment of " + segment.length());
        }
        char last = segment.charAt(segment.length() - 1);
        char flipped = B64URL_ALPHABET.charAt(B64URL_ALPHABET.indexOf(last) ^ 1);
        return segment.substring(0, segment.length() - 1) + flipped;
    }

    /** Characters outside any base64 alphabet inserted in the middle of the segment. */
    static String withJunk(String segment) {
        int middle = segment.length() / 2;
        return segment.substring(0, middle) + "*!~" + segment.substring(middle);
    }

    static String replacePart(String token, int index, UnaryOperator<String> change) {
        String[] parts = parts(token);
        parts[index] = change.apply(parts[index]);
        return String.join(".", parts);
    }
}
