package dev.tokenservice.key;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * The key set every node signs and verifies with. Keys live in PostgreSQL; the first node to start on an
 * empty database creates one, under an advisory lock so that nodes starting together agree on it.
 */
@ApplicationScoped
public class SigningKeys {

    static final String ALGORITHM = "ES256";

    private final SigningKeyRepository repository;
    private final Clock clock;
    private final Optional<String> configuredPem;
    private volatile KeySet keySet;

    public SigningKeys(SigningKeyRepository repository, Clock clock, TokenConfig config) {
        this.repository = repository;
        this.clock = clock;
        this.configuredPem = config.signingKey().pem();
    }

    /** The key to sign with now. */
    public ActiveKey active() {
        return keySet.active();
    }

    /** The verification key for a {@code kid}, if that key may have signed a live token. */
    public Optional<PublicKey> verificationKey(String kid) {
        return Optional.ofNullable(keySet.verification().get(kid));
    }

    /** The public JWK Set document. */
    public Map<String, Object> jwks() {
        return keySet.jwks();
    }

    void onStart(@Observes StartupEvent event) {
        ensureKey();
        reload();
    }

    @Transactional
    void ensureKey() {
        repository.lockForCreation();
        if (configuredPem.isPresent()) {
            KeyPair pair = KeyMaterial.fromPem(configuredPem.get());
            String kid = KeyMaterial.thumbprint(pair.getPublic());
            if (repository.findById(kid) == null) {
                repository.persist(toEntity(kid, pair));
                Log.infof("stored the configured signing key %s", kid);
            }
        } else if (repository.listLive().isEmpty()) {
            KeyPair pair = KeyMaterial.generate();
            String kid = KeyMaterial.thumbprint(pair.getPublic());
            repository.persist(toEntity(kid, pair));
            Log.infof("generated signing key %s", kid);
        }
    }

    @Transactional
    void reload() {
        List<SigningKey> live = repository.listLive();
        String preferred = configuredPem.map(pem -> KeyMaterial.thumbprint(KeyMaterial.fromPem(pem).getPublic()))
                .orElse(live.get(0).kid);
        Map<String, PublicKey> verification = new LinkedHashMap<>();
        ActiveKey active = null;
        try {
            for (SigningKey key : live) {
                verification.put(key.kid, KeyMaterial.publicKey(key.publicKey));
                if (key.kid.equals(preferred)) {
                    active = new ActiveKey(key.kid, KeyMaterial.privateKey(key.privateKey));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key cannot be decoded", e);
        }
        keySet = new KeySet(active, Map.copyOf(verification), jwksOf(verification));
    }

    private SigningKey toEntity(String kid, KeyPair pair) {
        SigningKey key = new SigningKey();
        key.kid = kid;
        key.algorithm = ALGORITHM;
        key.privateKey = pair.getPrivate().getEncoded();
        key.publicKey = pair.getPublic().getEncoded();
        key.createdAt = clock.instant();
        return key;
    }

    private static Map<String, Object> jwksOf(Map<String, PublicKey> keys) {
        List<Map<String, Object>> jwks = keys.entrySet().stream().map(entry -> {
            PublicJsonWebKey jwk = KeyMaterial.jwk(entry.getValue());
            jwk.setKeyId(entry.getKey());
            jwk.setUse("sig");
            jwk.setAlgorithm(ALGORITHM);
            return jwk.toParams(OutputControlLevel.PUBLIC_ONLY);
        }).toList();
        return Map.of("keys", jwks);
    }

    /** The private key new tokens are signed with, and its {@code kid}. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    private record KeySet(ActiveKey active, Map<String, PublicKey> verification, Map<String, Object> jwks) {
    }
}
