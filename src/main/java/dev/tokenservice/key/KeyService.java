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
 * starting or rotating together agree on one key set.
 */
@ApplicationScoped
public class KeyService {

    private final SigningKeyRepository repository;
    private final SigningKeys keys;
    private final KeyEvents events;
    private final Clock clock;
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

    private final Optional<String> configuredPem;
    private final Optional<Duration> rotationInterval;
    private final Duration tokenHorizon;

    public KeyService(SigningKeyRepository repository, SigningKeys keys, KeyEvents events, Clock clock,
            TokenConfig config) {
        this.repository = repository;
        this.keys = keys;
        this.events = events;
        this.clock = clock;
        this.configuredPem = config.signingKey().pem();
        this.rotationInterval = config.signingKey().rotationInterval();
        this.tokenHorizon = config.accessToken().lifetime().plus(config.clockSkew());
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        ensureKey();
        keys.reload();
        rotationInterval.ifPresent(interval -> vertx.setPeriodic(CHECK_INTERVAL.toMillis(), id -> vertx
                .executeBlocking(() -> {
                    rotateIfOlderThan(interval);
                    return null;
                }, false)
                .onFailure(e -> Log.warnf("scheduled key rotation failed: %s", e.getMessage()))));
    }

    /** Stores the operator's key if one is configured, or generates one if no key is active. */
    @Transactional
    void ensureKey() {
        repository.lockForCreation();
        if (configuredPem.isPresent()) {
            KeyPair pair = KeyMaterial.fromPem(configuredPem.get());
            String kid = KeyMaterial.thumbprint(pair.getPublic());
            if (repository.findById(kid) == null) {
                repository.persist(newKey(kid, pair));
                Log.infof("stored the configured signing key %s", kid);
                return;
            }
        }
        if (repository.findActive() == null) {
            String kid = createKey();
            Log.infof("generated signing key %s", kid);
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

    /** Under the key lock: retires the live keys and creates a new one, if {@code due} still holds for the active key. */
    @Transactional
    Optional<String> rotateInDatabase(boolean retireNow, Predicate<SigningKey> due) {
        repository.lockForCreation();
        if (!due.test(repository.findActive())) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        repository.retireAllBy(retireNow ? now : now.plus(tokenHorizon));
        return Optional.of(createKey());
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
        key.privateKey = pair.getPrivate().getEncoded();
        key.publicKey = pair.getPublic().getEncoded();
        key.createdAt = clock.instant();
        return key;
    }
}
