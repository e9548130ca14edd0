package dev.tokenservice.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link LoneReplicaFailover} on a Sentinel set of one master and one replica: {@code kill -9} of the master. */
class SentinelLoneReplicaIT {

    private static final int POSTGRES_PORT = 15440;

    @Test
    void tokensAreServedAgainAfterTheMasterFailsWithNoReplicaLeft() throws Exception {
        ScratchPostgres postgres = new ScratchPostgres(POSTGRES_PORT);
        SentinelSet redis = new SentinelSet(List.of(16440, 16441), List.of(26440, 26441, 26442));
        ServiceProcess nodeA = null;
        ServiceProcess nodeB = null;
        try {
            postgres.start();
            redis.start();
            Map<String, String> settings = Map.of(
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                    "quarkus.redis.client-type", "sentinel",
                    "quarkus.redis.hosts", redis.hosts(),
                    "quarkus.redis.master-name", SentinelSet.MASTER_NAME,
                    "quarkus.redis.role", "master",
                    "auth.revocation.min-replicas", "1",
                    "auth.signing-key.encryption-key", "sentinel-lone-replica-it key-encryption key");
            nodeA = ServiceProcess.start(19592, settings);
            nodeB = ServiceProcess.start(19593, settings);
            int[] killed = new int[1];
            new LoneReplicaFailover("Sentinel failover to the only replica",
                    List.of(new FailoverTraffic.Api(nodeA.baseUri()), new FailoverTraffic.Api(nodeB.baseUri())))
                    .run(new LoneReplicaFailover.Failover() {
                        @Override
                        public void kill() {
                            killed[0] = redis.killMaster();
                        }

                        @Override
                        public void awaitPromotion() {
                            redis.awaitPromotion(killed[0], Duration.ofSeconds(30));
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
