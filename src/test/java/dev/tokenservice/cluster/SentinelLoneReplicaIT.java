package dev.tokenservice.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link LoneReplicaFailover} on a Sentinel set of one master and one replica: {@code kill -9} of the master. */
class SentinelLoneReplicaIT {

    @Test
    void tokensAreServedAgainAfterTheMasterFailsWithNoReplicaLeft() throws Exception {
        SentinelSet redis = new SentinelSet(List.of(16440, 16441), List.of(26440, 26441, 26442));
        int[] killed = new int[1];
        LoneReplicaFailover.run("Sentinel failover to the only replica", 15440, 19592, redis, redis::start,
                Map.of("quarkus.redis.client-type", "sentinel", "quarkus.redis.hosts", redis.hosts(),
                        "quarkus.redis.master-name", SentinelSet.MASTER_NAME, "quarkus.redis.role", "master"),
                new LoneReplicaFailover.Failover() {
                    @Override
                    public void kill() {
                        killed[0] = redis.killMaster();
                    }

                    @Override
                    public void awaitPromotion() {
                        redis.awaitPromotion(killed[0], Duration.ofSeconds(30));
                    }
                });
    }
}
