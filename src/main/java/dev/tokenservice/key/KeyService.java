package dev.tokenservice.key;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import dev.tokenservice.event.NewSecurityEvent;
import dev.tokenservice.event.SecurityEventType;
import dev.tokenservice.event.SecurityEvents;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Creates and rotates signing keys. Creation and rotation run under one PostgreSQL advisory lock, so nodes
 * starting or rotating together agree on one key set. Besides the signing key there is always a published next
 * key: in the JWKS but not yet signing. A rotation makes the next key sign and publishes a new next one, so a key
 * has been in the JWKS for {@code auth.signing-key.pre-publication} before it signs whenever rotations are at
 * least that far apart. A rotation sooner than that still switches at once (the new kid signs from the answer on)
 * and logs a warning: consumers whose cached JWKS predates the next key then re-fetch it on the unknown kid. Only
 * the signing key and the next key keep their private halves.
 */
@ApplicationScoped
public class KeyService {

    private final SigningKeyRepository repository;
    private final SigningKeys keys;
    private final KeyEvents keyEvents;
    private final SecurityEvents events;
    private final SigningKeyCipher cipher;
    private final Clock clock;
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

    private final Optional<String> configuredPem;
    private final Optional<Duration> rotationInterval;
    private final Duration tokenHorizon;
    private final Duration prePublication;

    public KeyService(SigningKeyRepository repository, SigningKeys keys, KeyEvents keyEvents,
            SigningKeyCipher cipher, Clock clock, TokenConfig config, SecurityEvents events) {
        this.repository = repository;
        this.keys = keys;
        this.keyEvents = keyEvents;
        this.events = events;
        this.cipher = cipher;
        this.clock = clock;
        this.configuredPem = config.signingKey().pem();
        this.rotationInterval = config.signingKey().rotationInterval();
        this.tokenHorizon = config.accessToken().lifetime().plus(config.clockSkew());
        this.prePublication = config.signingKey().prePublication().orElse(config.jwks().maxAge());
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        boolean published;
        try {
            published = ensureKey();
        } catch (KeyEncryptionException e) {
            Log.error(e.getMessage());
            throw e;
        }
        keys.reload();
        if (published) {
            announceNewNextKey();
        }
        rotationInterval.filter(interval -> interval.compareTo(prePublication) < 0).ifPresent(interval -> Log.warnf(
                "auth.signing-key.rotation-interval (%s) is shorter than the pre-publication interval (%s): consumers"
                        + " that cache the JWKS will meet keys they have not seen", interval, prePublication));
        rotationInterval.ifPresent(interval -> vertx.setPeriodic(CHECK_INTERVAL.toMillis(), id -> vertx
                .executeBlocking(() -> {
                    rotateIfOlderThan(interval);
                    return null;
                }, false)
                .onFailure(e -> Log.warnf("scheduled key rotation failed: %s", e.getMessage()))));
    }

    /**
     * Makes the operator's key the signing key if it is new, or generates one if no key is active; every other key
     * that has signed is superseded. Publishes a next key if there is none. Then seals the stored private keys, or
     * checks that the key-encryption key opens them. Returns whether a next key was created.
     */
    @Transactional
    boolean ensureKey() {
        repository.lockForCreation();
        String active = storeConfiguredKey().orElseGet(this::activeOrNewKey);
        Instant now = clock.instant();
        repository.supersedeAllBut(active, now, now.plus(tokenHorizon));
        boolean published = repository.findNext() == null;
        if (published) {
            Log.infof("published next signing key %s", createKey(null));
        }
        sealPrivateKeys();
        return published;
    }

    /** Tells the other nodes about a next key created at start; their periodic reload is the backstop. */
    private void announceNewNextKey() {
        try {
            keyEvents.announceRotation(keys.active().kid());
        } catch (RuntimeException e) {
            Log.warnf("could not announce the new next signing key; other nodes publish it on their next reload: %s",
                    e.getMessage());
        }
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
        repository.persist(newKey(kid, pair, clock.instant()));
        Log.infof("stored the configured signing key %s; earlier keys verify until their tokens expire", kid);
        return Optional.of(kid);
    }

    private String activeOrNewKey() {
        SigningKey active = repository.findActive();
        if (active != null) {
            return active.kid;
        }
        String kid = createKey(clock.instant());
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
     * Makes the next key the signing key and publishes a new next key. The previous keys keep verifying until the
     * last token they signed expires, or, with {@code retireNow}, stop at once. Every node is told to reload.
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

    /**
     * Under the key lock: activates the next key, supersedes the others and publishes a new next key, if
     * {@code due} still holds for the active key.
     */
    @Transactional
    Optional<String> rotateInDatabase(boolean retireNow, Predicate<SigningKey> due) {
        repository.lockForCreation();
        SigningKey previous = repository.findActive();
        if (!due.test(previous)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String kid = activateNextKey(now);
        repository.supersedeAllBut(kid, now, retireNow ? now : now.plus(tokenHorizon));
        createKey(null);
        recordRotation(kid, previous == null ? null : previous.kid, retireNow);
        return Optional.of(kid);
    }

    /** {@code key.rotated}, and {@code key.retired} when the previous keys stop verifying at once. */
    private void recordRotation(String kid, String previousKid, boolean retireNow) {
        NewSecurityEvent rotated = NewSecurityEvent.of(SecurityEventType.KEY_ROTATED).with("kid", kid);
        events.record(previousKid == null ? rotated : rotated.with("previous_kid", previousKid));
        if (retireNow && previousKid != null) {
            events.record(NewSecurityEvent.of(SecurityEventType.KEY_RETIRED).with("kid", previousKid));
        }
    }

    private String activateNextKey(Instant now) {
        SigningKey next = repository.findNext();
        if (next == null) {
            next = repository.findById(createKey(now));
        }
        Duration published = Duration.between(next.createdAt, now);
        if (published.compareTo(prePublication) < 0) {
            Log.warnf("signing key %s signs after %d s in the JWKS, less than the pre-publication interval (%s):"
                    + " consumers whose cached JWKS is older re-fetch it on its kid", next.kid, published.toSeconds(),
                    prePublication);
        }
        next.activatedAt = now;
        repository.flush();
        return next.kid;
    }

    private boolean isOlderThan(SigningKey key, Duration interval) {
        Instant since = key.activatedAt != null ? key.activatedAt : key.createdAt;
        return since.plus(interval).isBefore(clock.instant());
    }

    /**
     * Keys retired at once whose tokens have not all expired yet, with the moment the last of them does. Blocks.
     */
    @Transactional
    public List<RetiredKey> retiredKeys() {
        Instant now = clock.instant();
        return repository.listRetired(now, now.minus(tokenHorizon)).stream()
                .map(key -> new RetiredKey(key.kid, key.retiredAt,
                        (key.supersededAt != null ? key.supersededAt : key.retiredAt).plus(tokenHorizon)))
                .toList();
    }

    private void announce(String kid, boolean retireNow) {
        keys.reload();
        keyEvents.announceRotation(kid);
        Log.infof("rotated to signing key %s%s", kid, retireNow ? ", previous keys retired now" : "");
    }

    /** A new key, signing from {@code activatedAt}, or the published next key when that is null. */
    private String createKey(Instant activatedAt) {
        KeyPair pair = KeyMaterial.generate();
        String kid = KeyMaterial.thumbprint(pair.getPublic());
        repository.persist(newKey(kid, pair, activatedAt));
        return kid;
    }

    private SigningKey newKey(String kid, KeyPair pair, Instant activatedAt) {
        SigningKey key = new SigningKey();
        key.kid = kid;
        key.algorithm = SigningKeys.ALGORITHM;
        key.privateKey = cipher.seal(kid, pair.getPrivate().getEncoded());
        key.publicKey = pair.getPublic().getEncoded();
        key.createdAt = clock.instant();
        key.activatedAt = activatedAt;
        return key;
    }
}
