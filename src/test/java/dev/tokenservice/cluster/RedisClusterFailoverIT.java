package dev.tokenservice.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.revocation.RevocationKeys;

/**
 * {@link LoneReplicaFailover} on a Redis Cluster of three masters with one replica each: {@code kill -9} of the
 * master that owns the {@value RevocationKeys#TAG} slot.
 */
class RedisClusterFailoverIT {

    @Test
    void tokensAreServedAgainAfterTheRevocationMasterFailsWithNoReplicaLeft() throws Exception {
        RedisClusterSet redis = new RedisClusterSet(List.of(16430, 16431, 16432, 16433, 16434, 16435), 1);
        ScratchRedis[] killed = new ScratchRedis[1];
        LoneReplicaFailover.run("Redis Cluster failover of the revocation master", 15439, 19590, redis, redis::start,
                Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", redis.hosts()),
                new LoneReplicaFailover.Failover() {
                    @Override
                    public void kill() {
                        killed[0] = redis.killMasterOf(RevocationKeys.STREAM);
                    }

                    @Override
                    public void awaitPromotion() {
                        redis.awaitPromotion(RevocationKeys.STREAM, killed[0], Duration.ofSeconds(30));
                    }
                });
    }
}
