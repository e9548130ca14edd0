package dev.tokenservice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * Redis Sentinel failover under logouts: one master, two replicas, three sentinels, two nodes with
 * {@code auth.revocation.min-replicas=1}. The master is killed with {@code kill -9}; every logout that was
 * acknowledged with 204, before, during or after the failover, must still be refused on both nodes and held by
 * the new master. Then the killed server returns as a replica and {@code SENTINEL FAILOVER} demotes the live
 * master: the nodes must follow without a 500 or a revoked token accepted; what Redis lost is printed.
 */
class SentinelIT {

    private static final int CLIENTS = 4;
    private static final Duration PROPAGATION = Duration.ofSeconds(1);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(15);

    private final FailoverTraffic.Counts counts = new FailoverTraffic.Counts();
    private final List<FailoverTraffic.Ack> acks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private volatile long killed;
    private volatile long promoted;
    private volatile long demoting;
    private volatile long successorAt;

    @Test
    void failoverLosesNoAcknowledgedRevocation() throws Exception {
        ScratchPostgres postgres = new ScratchPostgres(15438);
        SentinelSet redis = new SentinelSet(List.of(16410, 16411, 16412), List.of(26410, 26411, 26412));
        LocalCluster cluster = null;
        try {
            postgres.start();
            redis.start();
            cluster = new LocalCluster("sentinel", 2, 19480, postgres.jdbcUrl(), redis.hosts())
                    .environment("QUARKUS_REDIS_CLIENT_TYPE", "sentinel")
                    .environment("QUARKUS_REDIS_MASTER_NAME", SentinelSet.MASTER_NAME)
                    .environment("QUARKUS_REDIS_ROLE", "master")
                    .environment("AUTH_REVOCATION_MIN_REPLICAS", "1");
            cluster.up();
            failOverUnderLogouts(redis, List.of(new FailoverTraffic.Api(cluster.node(1)),
                    new FailoverTraffic.Api(cluster.node(2))));
        } finally {
            running.set(false);
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                redis.close();
                postgres.stop();
            }
        }
    }

    private void failOverUnderLogouts(SentinelSet redis, List<FailoverTraffic.Api> nodes) throws Exception {
        List<FailoverTraffic.Probe> probes = startTraffic(nodes);
        ClusterIT.sleep(Duration.ofSeconds(4));
        killed = System.nanoTime();
        probes.forEach(probe -> probe.killedAt(killed));
        int oldMaster = redis.killMaster();
        int newMaster = redis.awaitPromotion(oldMaster, Duration.ofSeconds(20));
        promoted = System.nanoTime();
        awaitRecovery(probes);
        ClusterIT.sleep(Duration.ofSeconds(2));

        redis.restart(oldMaster);
        demoting = System.nanoTime();
        int demoted = redis.failover();
        int successor = redis.awaitPromotion(demoted, Duration.ofSeconds(20));
        successorAt = System.nanoTime();
        awaitLogoutAfter(successorAt);
        ClusterIT.sleep(Duration.ofSeconds(2));
        stopTraffic();

        int missing = findMissing(nodes);
        List<String> absentAfterKill = absent(redis, Long.MIN_VALUE, demoting);
        List<String> absentAfterDemotion = absent(redis, demoting, Long.MAX_VALUE);
        report(oldMaster, newMaster, probes, missing, absentAfterKill.size());
        // not asserted: the demoted master acknowledges writes until it learns of the switch (see docs/scaling.md)
        System.out.printf("  then SENTINEL FAILOVER: master %d demoted, %d promoted after %d ms, first logout acknowledged"
                + " %d ms after the promotion; logouts acknowledged meanwhile %d, after %d; absent from Redis: %d%n",
                demoted, successor, millis(successorAt - demoting), millis(firstLogoutAfter(successorAt) - successorAt),
                phase(demoting, successorAt), phase(successorAt, Long.MAX_VALUE), absentAfterDemotion.size());
        System.out.printf("  statuses: %s%n", counts);
        assertEquals(0, missing, "acknowledged revocations no longer refused after the failovers");
        assertEquals(List.of(), absentAfterKill, "acknowledged revocations lost by Redis in the kill -9 failover");
        assertEquals(0, counts.get("revoked-poll:200-late") + counts.get("revoked-same:200"), counts.toString());
        assertEquals(0, counts.get("valid:401"), counts.toString());
        counts.snapshot().keySet().forEach(key -> assertTrue(
                !key.endsWith(":500") && !key.endsWith("-not-problem") && !key.endsWith("io-error"), counts.toString()));
        assertTrue(phase(Long.MIN_VALUE, killed) > 0 && phase(promoted, demoting) > 0, counts.toString());
    }

    /** A probe per node, {@value #CLIENTS} clients logging in and out, and a poller of revoked tokens. */
    private List<FailoverTraffic.Probe> startTraffic(List<FailoverTraffic.Api> nodes) {
        List<FailoverTraffic.Probe> probes = new ArrayList<>();
        for (FailoverTraffic.Api node : nodes) {
            FailoverTraffic.Probe probe = new FailoverTraffic.Probe(node, node.session(node.register()), running);
            probes.add(probe);
            threads.add(start("probe", probe));
        }
        for (int i = 0; i < CLIENTS; i++) {
            FailoverTraffic.Api home = nodes.get(i % nodes.size());
            String username = home.register();
            threads.add(start("client-" + i,
                    () -> FailoverTraffic.logouts(home, username, nodes, counts, acks, running)));
        }
        threads.add(start("poller", () -> pollRevoked(nodes)));
        return probes;
    }

    private void stopTraffic() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(15_000);
        }
    }

    /** Polls acknowledged revocations on every node; a 200 later than the propagation allowance is a leak. */
    private void pollRevoked(List<FailoverTraffic.Api> nodes) {
        int next = 0;
        while (running.get()) {
            if (acks.isEmpty()) {
                ClusterIT.sleep(Duration.ofMillis(20));
                continue;
            }
            FailoverTraffic.Ack ack = acks.get(next++ % acks.size());
            for (FailoverTraffic.Api node : nodes) {
                FailoverTraffic.Outcome outcome = node.greeting(ack.token());
                boolean late = System.nanoTime() - ack.acknowledged() > PROPAGATION.toNanos();
                if (outcome.status() == 200) {
                    counts.add("revoked-poll:200-" + (late ? "late" : "propagating"));
                } else {
                    counts.add("revoked-poll", outcome);
                }
            }
        }
    }

    private void awaitRecovery(List<FailoverTraffic.Probe> probes) {
        long deadline = killed + RECOVERY_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (probes.stream().allMatch(FailoverTraffic.Probe::recovered) && firstLogoutAfter(killed) > 0) {
                return;
            }
            ClusterIT.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("nodes did not serve valid tokens and logouts again within " + RECOVERY_LIMIT
                + ": " + counts);
    }

    /** Every acknowledged revocation checked once more on each node; 503 is retried for a few seconds. */
    private int findMissing(List<FailoverTraffic.Api> nodes) {
        int missing = 0;
        for (FailoverTraffic.Ack ack : acks) {
            for (FailoverTraffic.Api node : nodes) {
                FailoverTraffic.Outcome outcome = node.greetingOnceAvailable(ack.token(), Duration.ofSeconds(5));
                counts.add("final", outcome);
                if (outcome.status() != 401) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /** When the first logout sent after {@code from} was acknowledged, or 0. */
    private long firstLogoutAfter(long from) {
        return acks.stream().filter(ack -> ack.sent() > from).mapToLong(FailoverTraffic.Ack::acknowledged)
                .min().orElse(0);
    }

    private void awaitLogoutAfter(long from) {
        long deadline = from + RECOVERY_LIMIT.toNanos();
        while (firstLogoutAfter(from) == 0 && System.nanoTime() < deadline) {
            ClusterIT.sleep(Duration.ofMillis(50));
        }
    }

    /** The Redis keys of revocations acknowledged in [from, to) that the current master does not hold. */
    private List<String> absent(SentinelSet redis, long from, long to) {
        return redis.absentOnMaster(acks.stream().filter(ack -> ack.acknowledged() >= from && ack.acknowledged() < to)
                .map(FailoverTraffic.Ack::revocationKey).toList());
    }

    private long phase(long from, long to) {
        return acks.stream().filter(ack -> ack.acknowledged() >= from && ack.acknowledged() < to).count();
    }

    private void report(int oldMaster, int newMaster, List<FailoverTraffic.Probe> probes, int missing, int absent) {
        System.out.printf("Sentinel failover: master %d killed, %d promoted after %d ms%n", oldMaster, newMaster,
                millis(promoted - killed));
        for (int i = 0; i < probes.size(); i++) {
            System.out.printf("  node %d: kill -> first 200 with a valid token %d ms (503 from %d ms after the kill)%n",
                    i + 1, millis(probes.get(i).recoveredAt() - killed), millis(probes.get(i).firstOutageAt() - killed));
        }
        System.out.printf("  kill -> first acknowledged logout %d ms%n", millis(firstLogoutAfter(killed) - killed));
        System.out.printf("  logouts acknowledged: before %d, during %d, after %d; absent from Redis: %d%n",
                phase(Long.MIN_VALUE, killed), phase(killed, promoted), phase(promoted, demoting), absent);
        System.out.printf("  acknowledged revocations not refused by a node at the end (both failovers): %d%n", missing);
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    private static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, "sentinel-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
