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

    private static final List<Integer> REDIS_PORTS = List.of(16430, 16431, 16432, 16433, 16434, 16435);
    private static final int POSTGRES_PORT = 15439;

    @Test
    void tokensAreServedAgainAfterTheRevocationMasterFailsWithNoReplicaLeft() throws Exception {
        ScratchPostgres postgres = new ScratchPostgres(POSTGRES_PORT);
        RedisClusterSet redis = new RedisClusterSet(REDIS_PORTS, 1);
        ServiceProcess nodeA = null;
        ServiceProcess nodeB = null;
        try {
            postgres.start();
            redis.start();
            Map<String, String> settings = Map.of(
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                    "quarkus.redis.client-type", "cluster",
                    "quarkus.redis.hosts", redis.hosts(),
                    "auth.revocation.min-replicas", "1",
                    "auth.signing-key.encryption-key", "redis-cluster-failover-it key-encryption key");
            nodeA = ServiceProcess.start(19590, settings);
            nodeB = ServiceProcess.start(19591, settings);
            ScratchRedis[] killed = new ScratchRedis[1];
            new LoneReplicaFailover("Redis Cluster failover of the revocation master",
                    List.of(new FailoverTraffic.Api(nodeA.baseUri()), new FailoverTraffic.Api(nodeB.baseUri())))
                    .run(new LoneReplicaFailover.Failover() {
                        @Override
                        public void kill() {
                            killed[0] = redis.killMasterOf(RevocationKeys.STREAM);
                        }

                        @Override
                        public void awaitPromotion() {
                            redis.awaitPromotion(RevocationKeys.STREAM, killed[0], Duration.ofSeconds(30));
                        }
                    });
        } finally {
            try {
                if (nodeA != null) {
                    nodeA.close();
                }
                if (nodeB != null) {
                    nodeB.close();
                }
            } finally {
                redis.close();
                postgres.stop();
            }
        }
    }
}
