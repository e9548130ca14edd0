package dev.tokenservice.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Nodes of the packaged service behind HAProxy, started by {@code scripts/cluster.sh} on their own
 * PostgreSQL and Redis: the same script an operator runs.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String ADMIN_USERNAME = "cluster-admin";
    public static final String ADMIN_PASSWORD = "cluster-admin-password";

    private final int lbPort;
    private final int basePort;
    private final Map<String, String> environment = new HashMap<>();

    public LocalCluster(String name, int nodes, int lbPort, String jdbcUrl, String redisUrl) {
        this.lbPort = lbPort;
        this.basePort = lbPort + 1;
        environment.put("NODES", Integer.toString(nodes));
        environment.put("LB_PORT", Integer.toString(lbPort));
        environment.put("BASE_PORT", Integer.toString(basePort));
        environment.put("CLUSTER_DIR", "target/cluster-" + name);
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        environment.put("QUARKUS_REDIS_HOSTS", redisUrl);
        environment.put("AUTH_ADMIN_USERNAME", ADMIN_USERNAME);
        environment.put("AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        environment.put("JAVA_OPTS", "-Xmx256m");
    }

    /** JVM options for one node alone, e.g. its own {@code -Dquarkus.redis.hosts}; set before {@link #up()}. */
    public LocalCluster nodeOptions(int node, String options) {
        environment.put("NODE" + node + "_JAVA_OPTS", options);
        return this;
    }

    /** A setting passed to every node, e.g. {@code QUARKUS_REDIS_CLIENT_TYPE}; set before {@link #up()}. */
    public LocalCluster environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public String balancer() {
        return "http://127.0.0.1:" + lbPort;
    }

    public String node(int i) {
        return "http://127.0.0.1:" + (basePort + i - 1);
    }

    public void up() {
        script("up");
    }

    public void kill(int node) {
        script("kill", Integer.toString(node));
    }

    public void start(int node) {
        script("start", Integer.toString(node));
    }

    @Override
    public void close() {
        script("down");
    }

    private void script(String... args) {
        try {
            File log = Files.createTempFile("cluster", ".log").toFile();
            ProcessBuilder builder = new ProcessBuilder(concat("scripts/cluster.sh", args))
                    .redirectErrorStream(true).redirectOutput(log);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " failed:\n"
                        + Files.readString(log.toPath()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }
}
