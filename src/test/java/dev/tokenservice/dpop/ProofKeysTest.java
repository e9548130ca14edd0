package dev.tokenservice.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The keys a proof may carry: RSA within 2048 to 4096 bits with exponent 65537 (a larger modulus or exponent would
 * let one request cost a node far more than an honest one), and never a key of the wrong kind for its algorithm.
 */
@QuarkusTest
class ProofKeysTest {

    @Inject
    ProofVerifier verifier;

    @Test
    void anRsaKeyOfUsualSizeIsAccepted() throws Exception {
        KeyPair pair = rsa(2048, RSAKeyGenParameterSpec.F4);
        DpopProof proof = verifier.verify(proof(pair, AlgorithmIdentifiers.RSA_USING_SHA256), "POST", "/auth/login", null);
        assertEquals(new RsaJsonWebKey((RSAPublicKey) pair.getPublic()).calculateBase64urlEncodedThumbprint("SHA-256"),
                proof.jkt());
    }

    @Test
    void rsaKeysTooSmallTooLargeOrWithAnotherExponentAreRefused() throws Exception {
        for (KeyPair pair : new KeyPair[] { rsa(1024, RSAKeyGenParameterSpec.F4), rsa(4608, RSAKeyGenParameterSpec.F4),
                rsa(2048, BigInteger.valueOf(3)) }) {
            String proof = proof(pair, AlgorithmIdentifiers.RSA_USING_SHA256);
            DpopException refused = assertThrows(DpopException.class,
                    () -> verifier.verify(proof, "POST", "/auth/login", null));
            assertEquals("proof_jwk", refused.reason());
        }
    }

    @Test
    void aKeyThatDoesNotFitTheAlgorithmIsRefused() throws Exception {
        String proof = proof(rsa(2048, RSAKeyGenParameterSpec.F4), AlgorithmIdentifiers.RSA_USING_SHA256)
                .replaceFirst("^[^.]+", header("ES256", rsa(2048, RSAKeyGenParameterSpec.F4)));
        assertThrows(DpopException.class, () -> verifier.verify(proof, "POST", "/auth/login", null));
    }

    private static KeyPair rsa(int bits, BigInteger exponent) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(new RSAKeyGenParameterSpec(bits, exponent));
        return generator.generateKeyPair();
    }

    private static String proof(KeyPair pair, String algorithm) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("htm", "POST");
        claims.setClaim("htu", "http://localhost:8081/auth/login");
        claims.setIssuedAtToNow();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setHeader("typ", "dpop+jwt");
        jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic()));
        jws.setKey(pair.getPrivate());
        // jose4j refuses to sign with keys it considers weak unless told otherwise
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private static String header(String algorithm, KeyPair pair) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setHeader("typ", "dpop+jwt");
        jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic()));
        return jws.getHeaders().getEncodedHeader();
    }
}
