package dev.tokenservice.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One Redis master with replicas ({@code --replicaof}) watched by sentinels ({@code redis-server sentinel.conf
 * --sentinel}) with a quorum of two, each on its own port, with config files in a temporary directory.
 */
final class SentinelSet implements AutoCloseable {

    static final String MASTER_NAME = "tokens";

    private final List<Integer> redisPorts;
    private final List<Integer> sentinelPorts;
    private final List<ScratchRedis> servers = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final Path dir;

    SentinelSet(List<Integer> redisPorts, List<Integer> sentinelPorts) {
        this.redisPorts = redisPorts;
        this.sentinelPorts = sentinelPorts;
        try {
            this.dir = Files.createTempDirectory("sentinels");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the servers, waits until the master has every replica online, then starts the sentinels. */
    void start() {
        int master = redisPorts.get(0);
        for (int port : redisPorts) {
            ScratchRedis server = new ScratchRedis(port, false);
            if (port != master) {
                server.replicaOf(master);
            }
            server.start();
            servers.add(server);
        }
        await("replicas online", () -> info(master, "replication").getOrDefault("connected_slaves", "0")
                .equals(Integer.toString(redisPorts.size() - 1)));
        for (int port : sentinelPorts) {
            sentinels.add(startSentinel(port, master));
        }
        await("sentinels aware of each other and the replicas", this::sentinelsReady);
    }

    /** The {@code quarkus.redis.hosts} value: every sentinel. */
    String hosts() {
        return sentinelPorts.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The port of the master as the first sentinel reports it. */
    int masterPort() {
        List<String> address = cli(sentinelPorts.get(0), "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
        return Integer.parseInt(address.get(1));
    }

    /** {@code kill -9} of the current master. */
    int killMaster() {
        int port = masterPort();
        servers.get(redisPorts.indexOf(port)).stop();
        return port;
    }

    /** Starts a killed server again; the sentinels make it a replica of the current master. */
    void restart(int port) {
        servers.get(redisPorts.indexOf(port)).replicaOf(masterPort()).start();
        await("the restarted server replicating", () -> info(port, "replication").getOrDefault("master_link_status", "")
                .equals("up"));
    }

    /** Asks a sentinel to fail over with the master alive: the master is demoted, not killed. */
    int failover() {
        int port = masterPort();
        List<String> answer = cli(sentinelPorts.get(0), "SENTINEL", "FAILOVER", MASTER_NAME);
        if (!answer.equals(List.of("OK"))) {
            throw new IllegalStateException("SENTINEL FAILOVER answered " + answer);
        }
        return port;
    }

    /** Waits until every sentinel names a master other than {@code oldPort}; returns the new one. */
    int awaitPromotion(int oldPort, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            boolean all = sentinelPorts.stream().allMatch(port -> {
                List<String> address = cli(port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
                return address.size() == 2 && !address.get(1).equals(Integer.toString(oldPort));
            });
            if (all) {
                return masterPort();
            }
            pause(20);
        }
        throw new IllegalStateException("no replica was promoted within " + limit);
    }

    /** Of {@code keys}, those the current master does not hold. */
    List<String> absentOnMaster(List<String> keys) {
        StringBuilder script = new StringBuilder();
        keys.forEach(key -> script.append("EXISTS ").append(key).append('\n'));
        List<String> answers = cliWithInput(masterPort(), script.toString());
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (i >= answers.size() || !answers.get(i).equals("1")) {
                absent.add(keys.get(i));
            }
        }
        return absent;
    }

    @Override
    public void close() {
        sentinels.forEach(Process::destroyForcibly);
        servers.forEach(ScratchRedis::stop);
    }

    private Process startSentinel(int port, int master) {
        Path config = dir.resolve("sentinel-" + port + ".conf");
        try {
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
            Process process = new ProcessBuilder("redis-server", config.toString(), "--sentinel")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel-" + port + ".log").toFile()))
                    .start();
            Ports.await(port, true);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("redis-server must be installed", e);
        }
    }

    private boolean sentinelsReady() {
        return sentinelPorts.stream().allMatch(port -> {
            Map<String, String> master = pairs(cli(port, "SENTINEL", "master", MASTER_NAME));
            return master.getOrDefault("num-slaves", "0").equals(Integer.toString(redisPorts.size() - 1))
                    && master.getOrDefault("num-other-sentinels", "0").equals(Integer.toString(sentinelPorts.size() - 1));
        });
    }

    private static Map<String, String> info(int port, String section) {
        Map<String, String> fields = new TreeMap<>();
        for (String line : cli(port, "INFO", section)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    private static Map<String, String> pairs(List<String> lines) {
        Map<String, String> fields = new TreeMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            fields.put(lines.get(i), lines.get(i + 1));
        }
        return fields;
    }

    static List<String> cli(int port, String... command) {
        return cliWithInput(port, "", command);
    }

    /** redis-cli with {@code command}, or the commands of {@code input}, one a line, when there is none. */
    private static List<String> cliWithInput(int port, String input, String... command) {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes());
            }
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return output.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            pause(100);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
