package dev.tokenservice.key;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Creates and rotates signing keys. Creation and rotation run under one PostgreSQL advisory lock, so nodes
 * starting or rotating together agree on one key set. Only the signing key keeps its private half.
 */
@ApplicationScoped
public class KeyService {

    private final SigningKeyRepository repository;
    private final SigningKeys keys;
    private final KeyEvents events;
    private final SigningKeyCipher cipher;
    private final Clock clock;
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

    private final Optional<String> configuredPem;
    private final Optional<Duration> rotationInterval;
    private final Duration tokenHorizon;

    public KeyService(SigningKeyRepository repository, SigningKeys keys, KeyEvents events,
            SigningKeyCipher cipher, Clock clock, TokenConfig config) {
        this.repository = repository;
        this.keys = keys;
        this.events = events;
        this.cipher = cipher;
        this.clock = clock;
        this.configuredPem = config.signingKey().pem();
        this.rotationInterval = config.signingKey().rotationInterval();
        this.tokenHorizon = config.accessToken().lifetime().plus(config.clockSkew());
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        try {
            ensureKey();
        } catch (KeyEncryptionException e) {
            Log.error(e.getMessage());
            throw e;
        }
        keys.reload();
        rotationInterval.ifPresent(interval -> vertx.setPeriodic(CHECK_INTERVAL.toMillis(), id -> vertx
                .executeBlocking(() -> {
                    rotateIfOlderThan(interval);
                    return null;
                }, false)
                .onFailure(e -> Log.warnf("scheduled key rotation failed: %s", e.getMessage()))));
    }

    /**
     * Makes the operator's key the signing key if it is new, or generates one if no key is active; every other key
     * is superseded. Then seals the stored private keys, or checks that the key-encryption key opens them.
     */
    @Transactional
    void ensureKey() {
        repository.lockForCreation();
        String active = storeConfiguredKey().orElseGet(this::activeOrNewKey);
        Instant now = clock.instant();
        repository.supersedeAllBut(active, now, now.plus(tokenHorizon));
        sealPrivateKeys();
    }

    private Optional<String> storeConfiguredKey() {
        if (configuredPem.isEmpty()) {
            return Optional.empty();
        }
        KeyPair pair = KeyMaterial.fromPem(configuredPem.get());
        String kid = KeyMaterial.thumbprint(pair.getPublic());
        if (repository.findById(kid) != null) {
            return Optional.empty();
        }
        repository.persist(newKey(kid, pair));
        Log.infof("stored the configured signing key %s; earlier keys verify until their tokens expire", kid);
        return Optional.of(kid);
    }

    private String activeOrNewKey() {
        SigningKey active = repository.findActive();
        if (active != null) {
            return active.kid;
        }
        String kid = createKey();
        Log.infof("generated signing key %s", kid);
        return kid;
    }

    private void sealPrivateKeys() {
        for (SigningKey key : repository.listWithPrivateKey()) {
            if (SigningKeyCipher.isSealed(key.privateKey)) {
                cipher.open(key.kid, key.privateKey);
            } else if (cipher.isConfigured()) {
                key.privateKey = cipher.seal(key.kid, key.privateKey);
                Log.infof("encrypted the private key of signing key %s", key.kid);
            }
        }
        if (!cipher.isConfigured()) {
            Log.warn("auth.signing-key.encryption-key is not set: the signing key's private half is stored"
                    + " unencrypted in PostgreSQL");
        }
    }

    /**
     * Makes a new key the signing key. The previous keys keep verifying until the last token they signed
     * expires, or, with {@code retireNow}, stop at once. Every node is told to reload.
     */
    public String rotate(boolean retireNow) {
        String kid = rotateInDatabase(retireNow, active -> true).orElseThrow();
        announce(kid, retireNow);
        return kid;
    }

    /** Rotates if the active key is older than {@code interval}; called on every node, acts on one. */
    public void rotateIfOlderThan(Duration interval) {
        SigningKey active = repository.findActive();
        if (active != null && isOlderThan(active, interval)) {
            rotateInDatabase(false, current -> current == null || isOlderThan(current, interval))
                    .ifPresent(kid -> announce(kid, false));
        }
    }

    /** Under the key lock: creates a key and supersedes the others, if {@code due} still holds for the active key. */
    @Transactional
    Optional<String> rotateInDatabase(boolean retireNow, Predicate<SigningKey> due) {
        repository.lockForCreation();
        if (!due.test(repository.findActive())) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String kid = createKey();
        repository.supersedeAllBut(kid, now, retireNow ? now : now.plus(tokenHorizon));
        return Optional.of(kid);
    }

    private boolean isOlderThan(SigningKey key, Duration interval) {
        return key.createdAt.plus(interval).isBefore(clock.instant());
    }

    private void announce(String kid, boolean retireNow) {
        keys.reload();
        events.announceRotation(kid);
        Log.infof("rotated to signing key %s%s", kid, retireNow ? ", previous keys retired now" : "");
    }

    private String createKey() {
        KeyPair pair = KeyMaterial.generate();
        String kid = KeyMaterial.thumbprint(pair.getPublic());
        repository.persist(newKey(kid, pair));
        return kid;
    }

    private SigningKey newKey(String kid, KeyPair pair) {
        SigningKey key = new SigningKey();
        key.kid = kid;
        key.algorithm = SigningKeys.ALGORITHM;
        key.privateKey = cipher.seal(kid, pair.getPrivate().getEncoded());
        key.publicKey = pair.getPublic().getEncoded();
        key.createdAt = clock.instant();
        return key;
    }
}
