package dev.tokenservice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tokenservice.cluster.FailoverTraffic.Ack;
import dev.tokenservice.cluster.FailoverTraffic.Api;
import dev.tokenservice.cluster.FailoverTraffic.Counts;
import dev.tokenservice.cluster.FailoverTraffic.Outcome;

/**
 * Logouts on two nodes with {@code auth.revocation.min-replicas=1} while the Redis master that holds the
 * revocations is killed with {@code kill -9} and its only replica takes over. The new master has no replica, so
 * {@code WAIT 1} cannot succeed until an operator adds one; yet both nodes must serve tokens and report ready again
 * within {@link #RECOVERY_LIMIT} of the promotion by themselves, and every logout acknowledged with 204 (before,
 * during or after the failover) must be refused on both nodes at the end.
 */
final class LoneReplicaFailover {

    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    private static final int CLIENTS = 2;

    /** What happens to Redis: the master is killed, then a replica takes over. */
    interface Failover {

        void kill();

        void awaitPromotion();
    }

    private final String name;
    private final List<Api> nodes;
    private final Counts counts = new Counts();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts a PostgreSQL of its own on {@code postgresPort}, {@code redis} and two nodes on {@code nodePort} and the
     * port after it with {@code redisSettings}, runs the scenario and stops them all.
     */
    static void run(String name, int postgresPort, int nodePort, AutoCloseable redis, Runnable startRedis,
            Map<String, String> redisSettings, Failover failover) throws Exception {
        ScratchPostgres postgres = new ScratchPostgres(postgresPort);
        List<ServiceProcess> started = new ArrayList<>();
        try {
            postgres.start();
            startRedis.run();
            Map<String, String> settings = new HashMap<>(redisSettings);
            settings.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            settings.put("auth.revocation.min-replicas", "1");
            settings.put("auth.signing-key.encryption-key", name + " key-encryption key");
            for (int port : List.of(nodePort, nodePort + 1)) {
                started.add(ServiceProcess.start(port, settings));
            }
            new LoneReplicaFailover(name, started.stream().map(node -> new Api(node.baseUri())).toList())
                    .run(failover);
        } finally {
            try {
                started.forEach(ServiceProcess::close);
            } finally {
                redis.close();
                postgres.stop();
            }
        }
    }

    LoneReplicaFailover(String name, List<Api> nodes) {
        this.name = name;
        this.nodes = nodes;
    }

    void run(Failover failover) throws InterruptedException {
        List<String> probes = nodes.stream().map(node -> node.session(node.register())).toList();
        for (int i = 0; i < CLIENTS; i++) {
            Api home = nodes.get(i % nodes.size());
            String username = home.register();
            threads.add(start("client-" + i,
                    () -> FailoverTraffic.logouts(home, username, nodes, counts, acks, running)));
        }
        ClusterIT.sleep(Duration.ofSeconds(3));
        long killed = System.nanoTime();
        failover.kill();
        failover.awaitPromotion();
        long promoted = System.nanoTime();
        long[] recovered = awaitRecovery(probes, promoted);
        long firstLogout = awaitLogoutAfter(promoted);
        ClusterIT.sleep(Duration.ofSeconds(3));
        running.set(false);
        for (Thread thread : threads) {
            thread.join(15_000);
        }
        int missing = findMissing();
        report(killed, promoted, recovered, firstLogout, missing);
        assertEquals(0, missing, "acknowledged revocations no longer refused after the failover");
        assertEquals(0, counts.get("revoked-same:200") + counts.get("valid:401"), counts.toString());
        counts.snapshot().keySet().forEach(key -> assertTrue(!key.endsWith(":500") && !key.endsWith("-not-problem"),
                counts.toString()));
        assertTrue(phase(Long.MIN_VALUE, killed) > 0 && phase(promoted, Long.MAX_VALUE) > 0, counts.toString());
    }

    /** Per node, when it first served a valid token with 200 and reported ready after the promotion. */
    private long[] awaitRecovery(List<String> probes, long promoted) {
        long[] recovered = new long[nodes.size()];
        long deadline = promoted + RECOVERY_LIMIT.toNanos();
        while (Arrays.stream(recovered).anyMatch(at -> at == 0)) {
            for (int i = 0; i < nodes.size(); i++) {
                if (recovered[i] == 0 && nodes.get(i).greeting(probes.get(i)).status() == 200
                        && nodes.get(i).ready().status() == 200) {
                    recovered[i] = System.nanoTime();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": node(s) not serving tokens and ready within " + RECOVERY_LIMIT
                        + " of the promotion: " + Arrays.toString(recovered) + " " + counts + "\n" + failures());
            }
            ClusterIT.sleep(Duration.ofMillis(50));
        }
        return recovered;
    }

    private long awaitLogoutAfter(long from) {
        long deadline = from + RECOVERY_LIMIT.toNanos();
        while (firstLogoutAfter(from) == 0) {
            assertTrue(System.nanoTime() < deadline, name + ": no logout acknowledged after the promotion: " + counts);
            ClusterIT.sleep(Duration.ofMillis(50));
        }
        return firstLogoutAfter(from);
    }

    /** Every acknowledged revocation checked once more on each node; 503 is retried for a few seconds. */
    private int findMissing() {
        int missing = 0;
        for (Ack ack : acks) {
            for (Api node : nodes) {
                Outcome outcome = node.greetingOnceAvailable(ack.token(), Duration.ofSeconds(5));
                counts.add("final", outcome);
                if (outcome.status() != 401) {
                    missing++;
                }
            }
        }
        return missing;
    }

    private long firstLogoutAfter(long from) {
        return acks.stream().filter(ack -> ack.sent() > from).mapToLong(Ack::acknowledged).min().orElse(0);
    }

    private long phase(long from, long to) {
        return acks.stream().filter(ack -> ack.acknowledged() >= from && ack.acknowledged() < to).count();
    }

    private void report(long killed, long promoted, long[] recovered, long firstLogout, int missing) {
        System.out.printf("%s: master killed, replica promoted after %d ms%n", name, millis(promoted - killed));
        for (int i = 0; i < recovered.length; i++) {
            System.out.printf("  node %d: promotion -> 200 with a valid token and ready: %d ms%n", i + 1,
                    millis(recovered[i] - promoted));
        }
        System.out.printf("  promotion -> first acknowledged logout: %d ms%n", millis(firstLogout - promoted));
        System.out.printf("  logouts acknowledged: before the kill %d, until the promotion %d, after %d%n",
                phase(Long.MIN_VALUE, killed), phase(killed, promoted), phase(promoted, Long.MAX_VALUE));
        System.out.printf("  acknowledged revocations not refused by a node at the end: %d%n", missing);
        System.out.printf("  statuses: %s%n%s%n", counts, failures());
    }

    /** The nodes' counters of replica shortfalls and mirror failures. */
    private String failures() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            List<String> lines = new ArrayList<>(nodes.get(i).metric("revocation_replica_shortfalls_total"));
            lines.addAll(nodes.get(i).metric("revocation_mirror_failures_total"));
            text.append("  node ").append(i + 1).append(": ").append(lines).append('\n');
        }
        return text.toString().stripTrailing();
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    private Thread start(String task, Runnable body) {
        Thread thread = new Thread(body, name + "-" + task);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
