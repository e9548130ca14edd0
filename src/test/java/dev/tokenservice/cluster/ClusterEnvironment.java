package dev.tokenservice.cluster;

import java.util.Map;

/**
 * Everything a cluster test runs against: its own empty PostgreSQL, its own persistent Redis, and two nodes
 * behind the balancer, with a client for each entry point.
 */
final class ClusterEnvironment implements AutoCloseable {

    final ScratchPostgres postgres;
    final ScratchRedis redis;
    final LocalCluster cluster;
    final Client a;
    final Client b;
    final Client balancer;

    private ClusterEnvironment(String name, int postgresPort, int redisPort, int balancerPort,
            Map<String, String> settings) {
        postgres = new ScratchPostgres(postgresPort);
        postgres.start();
        redis = new ScratchRedis(redisPort, true);
        redis.start();
        cluster = new LocalCluster(name, 2, balancerPort, postgres.jdbcUrl(), redis.url());
        settings.forEach(cluster::environment);
        cluster.up();
        a = new Client(cluster.node(1));
        b = new Client(cluster.node(2));
        balancer = new Client(cluster.balancer());
    }

    static ClusterEnvironment start(String name, int postgresPort, int redisPort, int balancerPort) {
        return start(name, postgresPort, redisPort, balancerPort, Map.of());
    }

    /** With settings for every node (environment variables of {@code scripts/cluster.sh}, e.g. JAVA_OPTS). */
    static ClusterEnvironment start(String name, int postgresPort, int redisPort, int balancerPort,
            Map<String, String> settings) {
        return new ClusterEnvironment(name, postgresPort, redisPort, balancerPort, settings);
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            redis.stop();
            postgres.stop();
        }
    }
}
