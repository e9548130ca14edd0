package dev.tokenservice.token;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Problems.assertInvalidToken;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.key.SigningKey;
import dev.tokenservice.key.SigningKeyRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** A node that has not heard of a key yet re-reads the key set before it answers a revocation. */
@QuarkusTest
class RevokeWithNewKeyTest {

    @Inject
    SigningKeyRepository repository;

    @Test
    void revokingATokenOfAKeyThisNodeHasNotLoadedRevokesIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        String kid = "created-elsewhere-" + UUID.randomUUID();
        storeWithoutReload(kid, pair);
        HostileTokens otherNode = new HostileTokens("token-service", kid, pair.getPrivate(), pair.getPublic());
        String token = otherNode.signed(otherNode.validClaims());

        json().body(Map.of("token", token)).post("/auth/revoke").then().statusCode(200);

        assertInvalidToken(greeting(token));
    }

    /** As another node's rotation would: in the database, not yet in this node's key set; never the signing key. */
    private void storeWithoutReload(String kid, KeyPair pair) {
        SigningKey key = new SigningKey();
        key.kid = kid;
        key.algorithm = "ES256";
        key.publicKey = pair.getPublic().getEncoded();
        key.createdAt = Instant.now().minus(Duration.ofDays(1));
        key.retiredAt = Instant.now().plus(Duration.ofHours(1));
        QuarkusTransaction.requiringNew().run(() -> repository.persist(key));
    }
}
