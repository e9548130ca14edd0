package dev.tokenservice.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster ({@code redis-server --cluster-enabled yes}, joined by {@code redis-cli --cluster create ...
 * --cluster-replicas N}), each server on its own port: masters alone, or with replicas that a master's failure
 * promotes.
 */
final class RedisClusterSet implements AutoCloseable {

    private final List<ScratchRedis> servers = new ArrayList<>();
    private final int replicasPerMaster;

    /** Masters without replicas, one per port. */
    RedisClusterSet(List<Integer> ports) {
        this(ports, 0);
    }

    /** {@code ports.size() / (1 + replicasPerMaster)} masters, each with {@code replicasPerMaster} replicas. */
    RedisClusterSet(List<Integer> ports, int replicasPerMaster) {
        ports.forEach(port -> servers.add(new ScratchRedis(port, false).clusterNode()));
        this.replicasPerMaster = replicasPerMaster;
    }

    /** Starts the servers, assigns the slots over them and waits until every one reports the cluster ok. */
    void start() {
        servers.forEach(ScratchRedis::start);
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        servers.forEach(server -> create.add("127.0.0.1:" + server.port()));
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        String answer = servers.get(0).cli(create.toArray(String[]::new));
        if (!answer.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create answered:\n" + answer);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!servers.stream().allMatch(this::settled)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the cluster did not reach cluster_state:ok, replicas in sync");
            }
            ClusterIT.sleep(Duration.ofMillis(100));
        }
        servers.forEach(server -> server.cli("CONFIG", "RESETSTAT"));
    }

    private boolean settled(ScratchRedis server) {
        String replication = server.cli("INFO", "replication");
        return server.cli("CLUSTER", "INFO").contains("cluster_state:ok")
                && (replication.contains("role:master") || replication.contains("master_link_status:up"));
    }

    /** The {@code quarkus.redis.hosts} value: every server. */
    String hosts() {
        return servers.stream().map(ScratchRedis::url).collect(Collectors.joining(","));
    }

    /** The servers that are masters now. */
    List<ScratchRedis> masters() {
        return servers.stream().filter(server -> server.cli("ROLE").startsWith("master")).toList();
    }

    /** The master that serves {@code key}'s slot now, as the cluster's own view ({@code CLUSTER SHARDS}) says. */
    ScratchRedis masterOf(String key) {
        ScratchRedis asked = masters().get(0);
        int slot = Integer.parseInt(asked.cli("CLUSTER", "KEYSLOT", key));
        for (String line : asked.cli("CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                int first = Integer.parseInt(range[0]);
                int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
                if (slot >= first && slot <= last) {
                    String address = fields[1];
                    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
                    return servers.stream().filter(server -> server.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new AssertionError("no master serves slot " + slot + " of " + key);
    }

    /** {@code kill -9} of the master serving {@code key}; returns it. */
    ScratchRedis killMasterOf(String key) {
        ScratchRedis master = masterOf(key);
        master.stop();
        return master;
    }

    /** Waits until a server other than {@code old} serves {@code key}'s slot as a master; returns it. */
    ScratchRedis awaitPromotion(String key, ScratchRedis old, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            try {
                ScratchRedis master = masterOf(key);
                if (master != old && master.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return master;
                }
            } catch (RuntimeException | AssertionError e) {
                // the cluster's view is changing; ask again
            }
            ClusterIT.sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("no replica took over " + key + " within " + limit);
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
        servers.forEach(ScratchRedis::stop);
    }
}
