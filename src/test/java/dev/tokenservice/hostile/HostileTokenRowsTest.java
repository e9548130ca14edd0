package dev.tokenservice.hostile;

import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.hostile.Http.checkRow;
import static dev.tokenservice.hostile.TokenFactory.attackerKey;
import static dev.tokenservice.hostile.TokenFactory.attackerSigned;
import static dev.tokenservice.hostile.TokenFactory.hasUrlOnlyCharacters;
import static dev.tokenservice.hostile.TokenFactory.json;
import static dev.tokenservice.hostile.TokenFactory.padded;
import static dev.tokenservice.hostile.TokenFactory.parts;
import static dev.tokenservice.hostile.TokenFactory.randomBytes;
import static dev.tokenservice.hostile.TokenFactory.replacePart;
import static dev.tokenservice.hostile.TokenFactory.segment;
import static dev.tokenservice.hostile.TokenFactory.validClaims;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tokenservice.key.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Hostile access tokens, one row each: every one is presented as {@code Authorization: Bearer} to
 * {@code GET /api/greeting} and must get 401 {@code application/problem+json} with
 * {@code WWW-Authenticate: Bearer ... error="invalid_token"} (API.md), never a 200, a 500 or a hang.
 */
@QuarkusTest
@ExtendWith(RowReport.class)
class HostileTokenRowsTest {

    /** Builds the token of one row; may log in through the API first. Null: the row does not apply. */
    @FunctionalInterface
    interface TokenRow {
        String token(TokenFactory tokens) throws Exception;
    }

    @Inject
    SigningKeys keys;

    TokenFactory tokens;

    @BeforeEach
    void setUp() {
        var active = keys.active();
        tokens = new TokenFactory(active.kid(), active.privateKey(), keys.verificationKey(active.kid()).orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Timeout(120)
    void refusedWith401(String name, TokenRow row) throws Exception {
        String token = row.token(tokens);
        Assumptions.assumeTrue(token != null, "not applicable: no token of the needed form came up");
        Response response = Http.bearer(token).get("/api/greeting");
        checkRow(name, response, () -> assertInvalidToken(response));
    }

    /** The factory's tokens are accepted when nothing is wrong with them, so each row fails for its own reason. */
    @Test
    void controlGenuineAndFactoryTokensAreAccepted() {
        Http.bearer(tokens.genuine()).get("/api/greeting").then().statusCode(200);
        Http.bearer(tokens.signedByService(validClaims())).get("/api/greeting").then().statusCode(200);
        Http.bearer(tokens.signedByService(json(tokens.header("ES256")), validClaims().toJson()))
                .get("/api/greeting").then().statusCode(200);
    }

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        algNone(rows);
        hmac(rows);
        degenerateSignatures(rows);
        embeddedKeys(rows);
        kids(rows);
        crit(rows);
        structure(rows);
        revokedReencoded(rows);
        claims(rows);
        jwe(rows);
        nesting(rows);
        sizes(rows);
        return rows.stream();
    }

    private static void row(List<Arguments> rows, String name, TokenRow row) {
        rows.add(Arguments.of(name, row));
    }

    // -------------------------------------------------------------------------------------------------------------

    private static void algNone(List<Arguments> rows) {
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            row(rows, "alg " + alg + ", empty signature segment", t -> {
                Map<String, Object> header = t.header(alg);
                return segment(json(header)) + "." + segment(validClaims().toJson()) + ".";
            });
            row(rows, "alg " + alg + ", with the real key's ES256 signature segment",
                    t -> t.signedByService(json(t.header(alg)), validClaims().toJson()));
        }
    }

    private static void hmac(List<Arguments> rows) {
        row(rows, "HS256 keyed with the public key as PEM, trailing newline",
                t -> t.hmac("HS256", t.publicKeyPem(true).getBytes(StandardCharsets.US_ASCII)));
        row(rows, "HS256 keyed with the public key as PEM, no trailing newline",
                t -> t.hmac("HS256", t.publicKeyPem(false).getBytes(StandardCharsets.US_ASCII)));
        row(rows, "HS256 keyed with the public key as DER", t -> t.hmac("HS256", t.publicKeyDer()));
        row(rows, "HS256 keyed with the public key as JWK JSON text",
                t -> t.hmac("HS256", t.publicKeyJwkJson().getBytes(StandardCharsets.UTF_8)));
        row(rows, "HS256 keyed with the JWKS document as served",
                t -> t.hmac("HS256", Http.request().get("/.well-known/jwks.json").asByteArray()));
        row(rows, "HS512 keyed with the public key as PEM, trailing newline",
                t -> t.hmac("HS512", t.publicKeyPem(true).getBytes(StandardCharsets.US_ASCII)));
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        for (String secret : List.of("secret", "password", "changeit", "token-service", "your-256-bit-secret")) {
            secrets.put("\"" + secret + "\"", secret.getBytes(StandardCharsets.US_ASCII));
        }
        secrets.put("32 zero bytes", new byte[32]);
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            secrets.forEach((label, secret) -> row(rows, alg + " with the secret " + label, t -> t.hmac(alg, secret)));
        }
    }

    private static void degenerateSignatures(List<Arguments> rows) {
        row(rows, "ES256 r = s = 0 (64 zero bytes)", t -> t.withSignatureBytes(new byte[64]));
        row(rows, "ES256 r = s = n (the P-256 group order)", t -> {
            byte[] signature = new byte[64];
            System.arraycopy(TokenFactory.P256_ORDER, 0, signature, 0, 32);
            System.arraycopy(TokenFactory.P256_ORDER, 0, signature, 32, 32);
            return t.withSignatureBytes(signature);
        });
    }

    private static void embeddedKeys(List<Arguments> rows) {
        for (boolean realKid : List.of(true, false)) {
            String kidLabel = realKid ? "real kid" : "no kid";
            row(rows, "attacker ES256 with embedded jwk, " + kidLabel, t -> {
                KeyPair attacker = attackerKey();
                return attackerSigned(attacker, realKid ? t.kid() : null,
                        Map.of("jwk", TokenFactory.publicJwk(attacker.getPublic())));
            });
            row(rows, "attacker ES256 with jku, " + kidLabel, t -> attackerSigned(attackerKey(),
                    realKid ? t.kid() : null, Map.of("jku", "http://127.0.0.1:1/.well-known/jwks.json")));
            row(rows, "attacker ES256 with x5u, " + kidLabel, t -> attackerSigned(attackerKey(),
                    realKid ? t.kid() : null, Map.of("x5u", "http://127.0.0.1:1/certificate.pem")));
            row(rows, "attacker ES256 with x5c (self-signed certificate), " + kidLabel, t -> {
                KeyPair attacker = attackerKey();
                String certificate = Base64.getEncoder().encodeToString(TokenFactory.selfSignedCertificate(attacker));
                return attackerSigned(attacker, realKid ? t.kid() : null, Map.of("x5c", List.of(certificate)));
            });
        }
    }

    private static void kids(List<Arguments> rows) {
        row(rows, "kid ../../etc/passwd, attacker key", t -> attackerSigned(attackerKey(), "../../etc/passwd", Map.of()));
        row(rows, "kid ' OR '1'='1, attacker key", t -> attackerSigned(attackerKey(), "' OR '1'='1", Map.of()));
        row(rows, "kid of 10 kB, attacker key", t -> attackerSigned(attackerKey(), "k".repeat(10 * 1024), Map.of()));
        row(rows, "kid as a JSON number, real key", t -> {
            Map<String, Object> header = t.header("ES256");
            header.put("kid", 1);
            return t.signedByService(json(header), validClaims().toJson());
        });
        row(rows, "kid as a JSON object, real key", t -> {
            Map<String, Object> header = t.header("ES256");
            header.put("kid", Map.of("kid", t.kid()));
            return t.signedByService(json(header), validClaims().toJson());
        });
    }

    private static void crit(List<Arguments> rows) {
        row(rows, "unknown crit header (crit [exp2], exp2 1), real key", t -> {
            Map<String, Object> header = t.header("ES256");
            header.put("crit", List.of("exp2"));
            header.put("exp2", 1);
            return t.signedByService(json(header), validClaims().toJson());
        });
    }

    private static void structure(List<Arguments> rows) {
        row(rows, "two segments of a genuine token", t -> {
            String[] parts = parts(t.genuine());
            return parts[0] + "." + parts[1];
        });
        row(rows, "four segments: genuine token plus a segment", t -> t.genuine() + "." + segment("{}"));
        row(rows, "four segments: genuine token plus a trailing dot", t -> t.genuine() + ".");
        row(rows, "empty segments (..)", t -> "..");
        row(rows, "non-base64 characters in the header", t -> replacePart(t.genuine(), 0, TokenFactory::withJunk));
        row(rows, "non-base64 characters in the payload", t -> replacePart(t.genuine(), 1, TokenFactory::withJunk));
        row(rows, "non-base64 characters in the signature", t -> replacePart(t.genuine(), 2, TokenFactory::withJunk));
        row(rows, "base64 padding on the header of a genuine token", t -> replacePart(t.genuine(), 0, TokenFactory::padded));
        row(rows, "base64 padding on the payload of a genuine token", t -> replacePart(t.genuine(), 1, TokenFactory::padded));
        row(rows, "base64 padding on the signature of a genuine token",
                t -> replacePart(t.genuine(), 2, TokenFactory::padded));
        row(rows, "base64 padding on every segment of a genuine token", t -> {
            String[] parts = parts(t.genuine());
            return padded(parts[0]) + "." + padded(parts[1]) + "." + padded(parts[2]);
        });
        // A header or payload is ASCII JSON: its base64url holds '-' or '_' only where the text has '>', '?' or
        // '~' at the right offset. The header (kid, typ, alg) never does, so that case does not apply; a username
        // with "???" puts a '_' in the payload.
        row(rows, "standard base64 alphabet (+/) in the payload of a genuine token", t -> {
            String token = t.genuineFor("q???" + UUID.randomUUID().toString().substring(0, 8));
            return hasUrlOnlyCharacters(parts(token)[1]) ? replacePart(token, 1, TokenFactory::standardAlphabet) : null;
        });
        row(rows, "standard base64 alphabet (+/) in the signature of a genuine token", t -> {
            String token = t.genuineWhere(candidate -> hasUrlOnlyCharacters(parts(candidate)[2]));
            return token == null ? null : replacePart(token, 2, TokenFactory::standardAlphabet);
        });
        row(rows, "non-canonical base64 (unused trailing bits set) in the signature of a genuine token",
                t -> replacePart(t.genuine(), 2, TokenFactory::nonCanonical));
    }

    private static void revokedReencoded(List<Arguments> rows) {
        Predicate<String> any = token -> true;
        row(rows, "revoked token as issued", t -> t.revokedWhere(any));
        row(rows, "revoked token with padding on the signature",
                t -> replacePart(t.revokedWhere(any), 2, TokenFactory::padded));
        row(rows, "revoked token with padding on every segment", t -> {
            String[] parts = parts(t.revokedWhere(any));
            return padded(parts[0]) + "." + padded(parts[1]) + "." + padded(parts[2]);
        });
        row(rows, "revoked token with the signature in the standard alphabet (+/)", t -> {
            String token = t.revokedWhere(candidate -> hasUrlOnlyCharacters(parts(candidate)[2]));
            return token == null ? null : replacePart(token, 2, TokenFactory::standardAlphabet);
        });
        row(rows, "revoked token with non-canonical base64 in the signature",
                t -> replacePart(t.revokedWhere(any), 2, TokenFactory::nonCanonical));
        row(rows, "revoked token with non-base64 characters in the signature",
                t -> replacePart(t.revokedWhere(any), 2, TokenFactory::withJunk));
    }

    private static void claims(List<Arguments> rows) {
        for (String claim : List.of("exp", "iat", "jti", "sub", "sid", "iss", "preferred_username", "aud", "client_id")) {
            row(rows, "real key, missing " + claim, t -> {
                JwtClaims claims = validClaims();
                claims.unsetClaim(claim);
                return t.signedByService(claims);
            });
        }
        row(rows, "real key, exp as a string", t -> {
            JwtClaims claims = validClaims();
            claims.setClaim("exp", String.valueOf(Instant.now().plusSeconds(600).getEpochSecond()));
            return t.signedByService(claims);
        });
        row(rows, "real key, aud as an object", t -> {
            JwtClaims claims = validClaims();
            claims.setClaim("aud", Map.of("aud", TokenFactory.ISSUER));
            return t.signedByService(claims);
        });
        row(rows, "real key, duplicate sub keys in the payload text", t -> {
            String payload = validClaims().toJson();
            payload = "{\"sub\":\"" + UUID.randomUUID() + "\"," + payload.substring(1);
            return t.signedByService(json(t.header("ES256")), payload);
        });
        row(rows, "real key, duplicate exp keys (expired, then valid)", t -> {
            String payload = validClaims().toJson();
            payload = "{\"exp\":" + Instant.now().minusSeconds(3600).getEpochSecond() + "," + payload.substring(1);
            return t.signedByService(json(t.header("ES256")), payload);
        });
        row(rows, "real key, duplicate exp keys (valid, then far future)", t -> {
            String payload = validClaims().toJson();
            payload = payload.substring(0, payload.length() - 1) + ",\"exp\":4102444800}";
            return t.signedByService(json(t.header("ES256")), payload);
        });
        row(rows, "real key, duplicate alg keys in the header text (ES256, then none)", t -> {
            String header = json(t.header("ES256"));
            header = header.substring(0, header.length() - 1) + ",\"alg\":\"none\"}";
            return t.signedByService(header, validClaims().toJson());
        });
        row(rows, "real key, exp in the past", t -> {
            Instant now = Instant.now();
            return t.signedByService(TokenFactory.claims(now.minusSeconds(900), now.minusSeconds(60)));
        });
        row(rows, "real key, nbf in the future beyond the 5 s skew", t -> {
            JwtClaims claims = validClaims();
            claims.setNotBefore(NumericDate.fromSeconds(Instant.now().plusSeconds(60).getEpochSecond()));
            return t.signedByService(claims);
        });
        row(rows, "real key, iat in the future beyond the 5 s skew", t -> {
            Instant now = Instant.now();
            return t.signedByService(TokenFactory.claims(now.plusSeconds(60), now.plusSeconds(660)));
        });
    }

    private static void jwe(List<Arguments> rows) {
        row(rows, "JWE (five segments) PBES2-HS256+A128KW with p2c 2147483647", t -> {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", "PBES2-HS256+A128KW");
            header.put("enc", "A128CBC-HS256");
            header.put("p2c", 2147483647L);
            header.put("p2s", segment(randomBytes(16)));
            header.put("kid", t.kid());
            header.put("cty", "JWT");
            return segment(json(header)) + "." + segment(randomBytes(40)) + "." + segment(randomBytes(16)) + "."
                    + segment(randomBytes(64)) + "." + segment(randomBytes(16));
        });
        row(rows, "PBES2-HS256+A128KW with p2c 2147483647 in a three-segment token", t -> {
            Map<String, Object> header = t.header("PBES2-HS256+A128KW");
            header.put("enc", "A128CBC-HS256");
            header.put("p2c", 2147483647L);
            header.put("p2s", segment(randomBytes(16)));
            return segment(json(header)) + "." + segment(validClaims().toJson()) + "." + segment(randomBytes(64));
        });
    }

    private static void nesting(List<Arguments> rows) {
        row(rows, "payload of 10,000 nested arrays, real key", t -> t.signedByService(json(t.header("ES256")),
                "[".repeat(10_000) + "]".repeat(10_000)));
        row(rows, "payload of 5,000 nested arrays (over 8 KiB, under the header limit), real key", t -> {
            String token = t.signedByService(json(t.header("ES256")), "[".repeat(5_000) + "]".repeat(5_000));
            assertTrue(token.length() > 8192 && token.length() < 20_000, "length " + token.length());
            return token;
        });
        // under 8 KiB, so the JSON is parsed; each also carries a defect found only after parsing
        row(rows, "payload with 2,500 nested arrays (under 8 KiB), wrong issuer, real key", t -> {
            String token = t.signedByService(json(t.header("ES256")), nestedIn(foreignClaims(),
                    "[".repeat(2_500) + "]".repeat(2_500)));
            assertTrue(token.length() < 8192, "length " + token.length());
            return token;
        });
        row(rows, "payload with 900 nested objects (under 8 KiB), wrong issuer, real key", t -> {
            String token = t.signedByService(json(t.header("ES256")), nestedIn(foreignClaims(),
                    "{\"a\":".repeat(900) + "1" + "}".repeat(900)));
            assertTrue(token.length() < 8192, "length " + token.length());
            return token;
        });
        row(rows, "header with 2,500 nested arrays (under 8 KiB), attacker key and kid", t -> {
            Map<String, Object> header = t.header("ES256");
            header.put("kid", "attacker-key");
            String token = TokenFactory.es256(nestedIn(json(header), "[".repeat(2_500) + "]".repeat(2_500)),
                    validClaims().toJson(), attackerKey().getPrivate());
            assertTrue(token.length() < 8192, "length " + token.length());
            return token;
        });
    }

    /** Valid claims but for the issuer. */
    private static String foreignClaims() {
        JwtClaims claims = validClaims();
        claims.setIssuer("someone-else");
        return claims.toJson();
    }

    /** The JSON object text with a member {@code "x"} holding {@code value}. */
    private static String nestedIn(String objectJson, String value) {
        return objectJson.substring(0, objectJson.length() - 1) + ",\"x\":" + value + "}";
    }

    private static void sizes(List<Arguments> rows) {
        row(rows, "100 kB token in the Authorization header, real key", t -> {
            JwtClaims claims = validClaims();
            claims.setClaim("padding", "x".repeat(74_000));
            String token = t.signedByService(claims);
            assertTrue(token.length() > 99_000 && token.length() < 101_000, "length " + token.length());
            return token;
        });
    }
}
