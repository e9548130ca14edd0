package dev.tokenservice.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of masters without replicas ({@code redis-server --cluster-enabled yes}, joined by
 * {@code redis-cli --cluster create ... --cluster-replicas 0}), each on its own port.
 */
final class RedisClusterSet implements AutoCloseable {

    private final List<ScratchRedis> masters = new ArrayList<>();

    RedisClusterSet(List<Integer> ports) {
        ports.forEach(port -> masters.add(new ScratchRedis(port, false).clusterNode()));
    }

    /** Starts the servers, assigns the slots over them and waits until every one reports the cluster ok. */
    void start() {
        masters.forEach(ScratchRedis::start);
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        masters.forEach(master -> create.add("127.0.0.1:" + master.port()));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String answer = masters.get(0).cli(create.toArray(String[]::new));
        if (!answer.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create answered:\n" + answer);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!masters.stream().allMatch(master -> master.cli("CLUSTER", "INFO").contains("cluster_state:ok"))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the cluster did not reach cluster_state:ok");
            }
            ClusterIT.sleep(Duration.ofMillis(100));
        }
        masters.forEach(master -> master.cli("CONFIG", "RESETSTAT"));
    }

    /** The {@code quarkus.redis.hosts} value: every master. */
    String hosts() {
        return masters.stream().map(ScratchRedis::url).collect(Collectors.joining(","));
    }

    List<ScratchRedis> masters() {
        return masters;
    }

    /** The master that holds {@code key}, asked by slot so that no server answers MOVED. */
    ScratchRedis masterOf(String key) {
        String slot = masters.get(0).cli("CLUSTER", "KEYSLOT", key);
        return masters.stream().filter(master -> !master.cli("CLUSTER", "COUNTKEYSINSLOT", slot).equals("0"))
                .findFirst().orElseThrow(() -> new AssertionError("no master holds " + key));
    }

    /** The error replies a master has sent since the cluster was created, by kind ({@code INFO errorstats}). */
    static List<String> errors(ScratchRedis master) {
        return master.cli("INFO", "errorstats").lines().filter(line -> line.startsWith("errorstat_")).toList();
    }

    /** The keys of one master that match a glob pattern. */
    static List<String> keys(ScratchRedis master, String pattern) {
        String out = master.cli("--scan", "--pattern", pattern);
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    @Override
    public void close() {
        masters.forEach(ScratchRedis::stop);
    }
}
