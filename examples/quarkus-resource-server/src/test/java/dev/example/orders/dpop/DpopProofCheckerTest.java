package dev.example.orders.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/** The checker with proofs made here with jose4j; the access token is only hashed, so any string will do. */
class DpopProofCheckerTest {

    // the public URL differs from anything a request carries: the Host header plays no part
    private static final String PUBLIC_URL = "https://API.Example.com:443/";
    private static final String HTU = "https://api.example.com/orders";
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private final MutableClock clock = new MutableClock();
    private final DpopProofChecker checker = new DpopProofChecker(PUBLIC_URL, 5, 60, new ReplayCache(1000), clock);
    private final PublicJsonWebKey key;
    private final String jkt;

    DpopProofCheckerTest() throws Exception {
        key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        jkt = key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    @Test
    void freshProofAcceptedOnceThenRefusedAsReplay() throws Exception {
        String proof = proof(key, claims -> { });
        accept(proof);
        refuse(proof, "invalid_dpop_proof", "used already");
    }

    @Test
    void htuIsNormalisedAndItsQueryIgnored() throws Exception {
        checker.check("GET", "/orders", true, TOKEN, true, jkt,
                List.of(proof(key, claims -> claims.setClaim("htu", "HTTPS://api.EXAMPLE.com:443/a/../orders?page=2"))));
        refuse(proof(key, claims -> claims.setClaim("htu", "https://api.example.com/orders/1")), "invalid_dpop_proof", "htu");
        refuse(proof(key, claims -> claims.setClaim("htu", "http://api.example.com/orders")), "invalid_dpop_proof", "htu");
        refuse(proof(key, claims -> claims.setClaim("htu", "https://api.example.com:8443/orders")), "invalid_dpop_proof", "htu");
    }

    @Test
    void rsaProofAccepted() throws Exception {
        PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
        String proof = sign(rsa, "PS256", "dpop+jwt", rsa.toParams(OutputControlLevel.PUBLIC_ONLY), claims(claims -> { }));
        checker.check("GET", "/orders", true, TOKEN, true, rsa.calculateBase64urlEncodedThumbprint("SHA-256"), List.of(proof));
    }

    @Test
    void wrongHtmAthOrKeyRefused() throws Exception {
        refuse(proof(key, claims -> claims.setClaim("htm", "POST")), "invalid_dpop_proof", "htm");
        refuse(proof(key, claims -> claims.setClaim("ath", DpopProofChecker.ath("another token"))), "invalid_dpop_proof", "ath");
        refuse(proof(key, claims -> claims.unsetClaim("ath")), "invalid_dpop_proof", "ath");
        refuse(proof(EcJwkGenerator.generateJwk(EllipticCurves.P256), claims -> { }), "invalid_dpop_proof", "bound to");
    }

    @Test
    void staleOrFutureIatRefused() throws Exception {
        String proof = proof(key, claims -> { });
        clock.offsetMillis = 62_000;
        refuse(proof, "invalid_dpop_proof", "too old");
        clock.offsetMillis = -7_000;
        refuse(proof, "invalid_dpop_proof", "future");
        clock.offsetMillis = 0;
        accept(proof); // the refusals did not spend it
    }

    @Test
    void boundTokenAsBearerUnboundTokenAsDpopRefused() throws Exception {
        DpopException bearer = assertThrows(DpopException.class,
                () -> checker.check("GET", "/orders", false, TOKEN, true, jkt, List.of(proof(key, claims -> { }))));
        assertEquals("invalid_token", bearer.error());
        DpopException unbound = assertThrows(DpopException.class,
                () -> checker.check("GET", "/orders", true, TOKEN, false, null, List.of(proof(key, claims -> { }))));
        assertEquals("invalid_token", unbound.error());
        checker.check("GET", "/orders", false, TOKEN, false, null, List.of()); // an unbound token as Bearer
    }

    @Test
    void missingDuplicateOrOversizedHeaderRefused() throws Exception {
        assertEquals("invalid_dpop_proof", assertThrows(DpopException.class,
                () -> checker.check("GET", "/orders", true, TOKEN, true, jkt, List.of())).error());
        assertEquals("invalid_dpop_proof", assertThrows(DpopException.class,
                () -> checker.check("GET", "/orders", true, TOKEN, true, jkt, null)).error());
        refuse(List.of(proof(key, claims -> { }), proof(key, claims -> { })), "exactly one");
        refuse(proof(key, claims -> claims.setClaim("pad", "x".repeat(9000))), "invalid_dpop_proof", "bounded size");
    }

    @Test
    void noneHmacPrivateJwkWrongTypLongJtiRefused() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String publicJwk = key.toJson(OutputControlLevel.PUBLIC_ONLY);
        String none = b64.encodeToString(("{\"alg\":\"none\",\"typ\":\"dpop+jwt\",\"jwk\":" + publicJwk + "}").getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims(claims -> { }).toJson().getBytes(StandardCharsets.UTF_8)) + ".";
        refuse(none, "invalid_dpop_proof", null);

        JsonWebSignature hs = new JsonWebSignature();
        hs.setAlgorithmHeaderValue("HS256");
        hs.setHeader("typ", "dpop+jwt");
        hs.getHeaders().setObjectHeaderValue("jwk", key.toParams(OutputControlLevel.PUBLIC_ONLY));
        hs.setPayload(claims(claims -> { }).toJson());
        hs.setKey(new HmacKey("a shared secret of thirty-two by".getBytes(StandardCharsets.US_ASCII)));
        refuse(hs.getCompactSerialization(), "invalid_dpop_proof", "alg");

        String withD = sign(key, "ES256", "dpop+jwt", key.toParams(OutputControlLevel.INCLUDE_PRIVATE), claims(claims -> { }));
        refuse(withD, "invalid_dpop_proof", "not a public key");

        refuse(sign(key, "ES256", "JWT", key.toParams(OutputControlLevel.PUBLIC_ONLY), claims(claims -> { })), "invalid_dpop_proof", "typ");
        refuse(proof(key, claims -> claims.setJwtId("j".repeat(257))), "invalid_dpop_proof", "jti");
        accept(proof(key, claims -> claims.setJwtId("j".repeat(256))));
    }

    @Test
    void replaySetExpiresEntriesAndRefusesWhenFull() throws Exception {
        ReplayCache set = new ReplayCache(2);
        assertTrue(set.remember("a", 160, 100));
        assertEquals(false, set.remember("a", 160, 150));
        assertTrue(set.remember("b", 170, 150));
        assertEquals(503, assertThrows(DpopException.class, () -> set.remember("c", 210, 150)).status());
        assertTrue(set.remember("c", 225, 165), "a has expired and made room");
        assertTrue(set.remember("a", 230, 171), "b has expired: a is new again after its window");
        assertEquals(2, set.size());
    }

    @Test
    void helpers() {
        assertEquals("http://host/a/b", DpopProofChecker.normalizeHtu("HTTP://Host:80/a/c/../b?q#f"));
        assertEquals("https://host:8443/a%2Fb", DpopProofChecker.normalizeHtu("https://host:8443/a%2fb"));
        assertNull(DpopProofChecker.normalizeHtu("ftp://host/"));
        assertNull(DpopProofChecker.normalizeHtu("not a url"));
        assertEquals("DPoP algs=\"ES256 ES384 ES512 PS256 RS256\", error=\"invalid_dpop_proof\", error_description=\"x\"",
                DpopProofChecker.challenge("invalid_dpop_proof", "x"));
    }

    private void accept(String proof) throws DpopException {
        checker.check("GET", "/orders", true, TOKEN, true, jkt, List.of(proof));
    }

    private void refuse(String proof, String error, String description) {
        DpopException e = assertThrows(DpopException.class, () -> checker.check("GET", "/orders", true, TOKEN, true, jkt, List.of(proof)));
        assertEquals(error, e.error());
        assertEquals(401, e.status());
        if (description != null) {
            assertTrue(e.getMessage().contains(description), e.getMessage());
        }
    }

    private void refuse(List<String> proofs, String description) {
        DpopException e = assertThrows(DpopException.class, () -> checker.check("GET", "/orders", true, TOKEN, true, jkt, proofs));
        assertEquals("invalid_dpop_proof", e.error());
        assertTrue(e.getMessage().contains(description), e.getMessage());
    }

    private JwtClaims claims(Consumer<JwtClaims> change) {
        JwtClaims claims = new JwtClaims();
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("htm", "GET");
        claims.setClaim("htu", HTU);
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromMilliseconds(System.currentTimeMillis()));
        claims.setClaim("ath", DpopProofChecker.ath(TOKEN));
        change.accept(claims);
        return claims;
    }

    private String proof(PublicJsonWebKey signer, Consumer<JwtClaims> change) throws Exception {
        return sign(signer, "ES256", "dpop+jwt", signer.toParams(OutputControlLevel.PUBLIC_ONLY), claims(change));
    }

    private static String sign(PublicJsonWebKey signer, String alg, String typ, Object jwk, JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        jws.setHeader("typ", typ);
        jws.getHeaders().setObjectHeaderValue("jwk", jwk);
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivateKey());
        return jws.getCompactSerialization();
    }

    private static final class MutableClock extends Clock {
        volatile long offsetMillis;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis;
        }
    }
}
