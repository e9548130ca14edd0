package dev.tokenservice.key;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Tells every node about key rotations: a Redis pub/sub announcement for speed, and a periodic re-read of
 * the key set in case an announcement was missed (Redis down, node reconnecting).
 */
@ApplicationScoped
public class KeyEvents {

    static final String CHANNEL = "auth:keys:rotated";

    private final ReactiveRedisDataSource redis;
    private final SigningKeys keys;
    private final Duration reloadInterval;

    public KeyEvents(ReactiveRedisDataSource redis, SigningKeys keys, TokenConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.reloadInterval = config.signingKey().reloadInterval();
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        redis.pubsub(String.class).subscribe(CHANNEL)
                .onFailure().invoke(e -> Log.debugf("key announcements interrupted: %s", e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(kid -> reload("announcement of " + kid));
        vertx.setPeriodic(reloadInterval.toMillis(), id -> Infrastructure.getDefaultWorkerPool()
                .execute(() -> reload("timer")));
    }

    void announceRotation(String kid) {
        redis.pubsub(String.class).publish(CHANNEL, kid)
                .subscribe().with(receivers -> { }, e -> Log.warnf("could not announce key %s: %s", kid, e.getMessage()));
    }

    private void reload(String cause) {
        try {
            keys.reload();
        } catch (RuntimeException e) {
            Log.warnf("key set reload after %s failed: %s", cause, e.getMessage());
        }
    }
}
