package dev.tokenservice.key;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tokenservice.revocation.KeyChangeListener;
import dev.tokenservice.revocation.RevocationStore;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Tells every node about key changes. A rotation or retirement is announced on the revocation stream, which
 * every node's mirror reads in order and replays after being away, so no node misses one; a node re-reads its
 * key set before its mirror counts as current again. A periodic re-read remains as a backstop.
 */
@ApplicationScoped
public class KeyEvents implements KeyChangeListener {

    private final RevocationStore revocations;
    private final SigningKeys keys;
    private final Duration reloadInterval;

    public KeyEvents(RevocationStore revocations, SigningKeys keys, TokenConfig config) {
        this.revocations = revocations;
        this.keys = keys;
        this.reloadInterval = config.signingKey().reloadInterval();
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(reloadInterval.toMillis(), id -> Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                keys.reload();
            } catch (RuntimeException e) {
                Log.warnf("periodic key set reload failed: %s", e.getMessage());
            }
        }));
    }

    /** Announces a change on the stream; fails with 503 when Redis cannot take it. */
    void announceRotation(String kid) {
        revocations.announceKeyChange();
        Log.debugf("announced signing key %s", kid);
    }

    @Override
    public void keysChanged() {
        keys.reload();
    }
}
