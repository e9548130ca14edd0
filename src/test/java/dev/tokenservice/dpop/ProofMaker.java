package dev.tokenservice.dpop;

import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A DPoP client's key and the proofs it makes, with jose4j: every field can be set wrong on purpose. The end-to-end
 * test (scripts/dpop-e2e.sh) makes its proofs with the npm {@code dpop} package instead.
 */
public final class ProofMaker {

    final EllipticCurveJsonWebKey key;

    public ProofMaker() {
        try {
            key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    String thumbprint() {
        return key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /** A proof for {@code method} and the test server's URL of {@code path}, bound to {@code accessToken} if not null. */
    String proof(String method, String path, String accessToken) {
        return builder(method, path).ath(accessToken).make();
    }

    Builder builder(String method, String path) {
        return new Builder(method, "http://localhost:8081" + path);
    }

    /** A proof for {@code method} and exactly this {@code htu}. */
    public String proofFor(String method, String htu) {
        return new Builder(method, htu).make();
    }

    final class Builder {
        private final JwtClaims claims = new JwtClaims();
        private String type = "dpop+jwt";
        private String algorithm = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        private boolean privateJwk;
        private ProofMaker signer = ProofMaker.this;

        Builder(String method, String htu) {
            claims.setJwtId(UUID.randomUUID().toString());
            claims.setClaim("htm", method);
            claims.setClaim("htu", htu);
            claims.setIssuedAtToNow();
        }

        Builder ath(String accessToken) {
            if (accessToken != null) {
                claims.setClaim("ath", ProofVerifier.ath(accessToken));
            }
            return this;
        }

        Builder nonce(String nonce) {
            claims.setClaim("nonce", nonce);
            return this;
        }

        Builder claim(String name, Object value) {
            claims.setClaim(name, value);
            return this;
        }

        Builder issuedSecondsAgo(long seconds) {
            claims.setClaim("iat", System.currentTimeMillis() / 1000 - seconds);
            return this;
        }

        Builder type(String value) {
            type = value;
            return this;
        }

        Builder privateJwk() {
            privateJwk = true;
            return this;
        }

        /** Signed by another key than the one in the header. */
        Builder signedBy(ProofMaker other) {
            signer = other;
            return this;
        }

        String make() {
            try {
                JsonWebSignature jws = new JsonWebSignature();
                jws.setPayload(claims.toJson());
                jws.setAlgorithmHeaderValue(algorithm);
                jws.setHeader("typ", type);
                Map<String, Object> jwk = key.toParams(privateJwk ? OutputControlLevel.INCLUDE_PRIVATE
                        : OutputControlLevel.PUBLIC_ONLY);
                jws.getHeaders().setObjectHeaderValue("jwk", jwk);
                jws.setKey(signer.key.getPrivateKey());
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
