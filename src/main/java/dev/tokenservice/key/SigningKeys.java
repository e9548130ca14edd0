package dev.tokenservice.key;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * This node's copy of the key set every node signs and verifies with. The keys live in PostgreSQL;
 * {@link #reload()} reads them again, after a rotation anywhere, on a timer, or when a token names a
 * {@code kid} this node has not seen yet.
 */
@ApplicationScoped
public class SigningKeys {

    static final String ALGORITHM = "ES256";
    private static final long UNKNOWN_KID_RELOAD_INTERVAL_MS = 1000;

    private final SigningKeyRepository repository;
    private final SigningKeyCipher cipher;
    private final Clock clock;
    private final AtomicLong lastUnknownKidReload = new AtomicLong();
    private volatile KeySet keySet;

    public SigningKeys(SigningKeyRepository repository, SigningKeyCipher cipher, Clock clock) {
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** The key to sign with now. */
    public ActiveKey active() {
        return keySet.active();
    }

    /** The verification key for a {@code kid}, if that key may still have signed a live token. */
    public Optional<PublicKey> verificationKey(String kid) {
        LiveKey key = keySet.live().get(kid);
        if (key == null || key.isRetired(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(key.publicKey());
    }

    /** When the key of a {@code kid} stopped signing, if it has: a token it signed later is a forgery. */
    public Optional<Instant> supersededAt(String kid) {
        return Optional.ofNullable(keySet.live().get(kid)).map(LiveKey::supersededAt);
    }

    /** The public JWK Set: every key that may have signed a live token. */
    public Map<String, Object> jwks() {
        Instant now = clock.instant();
        List<Map<String, Object>> keys = keySet.live().values().stream()
                .filter(key -> !key.isRetired(now))
                .map(LiveKey::jwk)
                .toList();
        return Map.of("keys", keys);
    }

    /** Reads the key set from the database. Blocks. */
    @Transactional
    public void reload() {
        Instant now = clock.instant();
        SigningKey activeEntity = repository.findActive();
        // newest first, as listed: every node publishes the same JWKS, byte for byte
        Map<String, LiveKey> live = new LinkedHashMap<>();
        try {
            for (SigningKey key : repository.listLive(now)) {
                PublicKey publicKey = KeyMaterial.publicKey(key.publicKey);
                live.put(key.kid, new LiveKey(publicKey, key.supersededAt, key.retiredAt, jwkOf(key.kid, publicKey)));
            }
            ActiveKey active = new ActiveKey(activeEntity.kid, KeyMaterial.privateKey(
                    cipher.open(activeEntity.kid, activeEntity.privateKey)));
            keySet = new KeySet(active, Collections.unmodifiableMap(live));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key cannot be decoded", e);
        }
    }

    /**
     * Reloads off the event loop after a token named an unknown {@code kid}, at most once a second, so a
     * key another node just created is found while made-up {@code kid}s cannot flood the database.
     * Completes with whether a reload happened.
     */
    public Uni<Boolean> reloadForUnknownKid() {
        if (!mayReloadForUnknownKid()) {
            return Uni.createFrom().item(false);
        }
        return Uni.createFrom().item(() -> {
            reload();
            return true;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Like {@link #reloadForUnknownKid()}, on the caller's thread, for callers that may block. */
    public boolean reloadForUnknownKidBlocking() {
        if (!mayReloadForUnknownKid()) {
            return false;
        }
        reload();
        return true;
    }

    private boolean mayReloadForUnknownKid() {
        long now = System.currentTimeMillis();
        long last = lastUnknownKidReload.get();
        return now - last >= UNKNOWN_KID_RELOAD_INTERVAL_MS && lastUnknownKidReload.compareAndSet(last, now);
    }

    private static Map<String, Object> jwkOf(String kid, PublicKey key) {
        PublicJsonWebKey jwk = KeyMaterial.jwk(key);
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm(ALGORITHM);
        return jwk.toParams(OutputControlLevel.PUBLIC_ONLY);
    }

    /** The private key new tokens are signed with, and its {@code kid}. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    private record LiveKey(PublicKey publicKey, Instant supersededAt, Instant retiredAt, Map<String, Object> jwk) {

        boolean isRetired(Instant now) {
            return retiredAt != null && !now.isBefore(retiredAt);
        }
    }

    private record KeySet(ActiveKey active, Map<String, LiveKey> live) {
    }
}
