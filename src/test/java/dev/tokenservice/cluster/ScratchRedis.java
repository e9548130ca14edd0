package dev.tokenservice.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away redis-server on its own port, so a test can stop it without touching the shared one.
 * With {@code appendOnly} every write is fsynced to an append-only file that survives a restart.
 */
public final class ScratchRedis {

    private final int port;
    private final boolean appendOnly;
    private final Path dir;
    private final List<String> arguments = new ArrayList<>();
    private Process process;
    private int masterPort;

    public ScratchRedis(int port, boolean appendOnly) {
        this.port = port;
        this.appendOnly = appendOnly;
        try {
            this.dir = Files.createTempDirectory("redis-" + port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes this server a replica of the one on {@code port} (from its next start on). */
    public ScratchRedis replicaOf(int port) {
        this.masterPort = port;
        return this;
    }

    /** Makes this server a node of a Redis Cluster (from its next start on); its cluster state stays in its dir. */
    public ScratchRedis clusterNode() {
        arguments.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                dir.resolve("nodes.conf").toString(), "--cluster-node-timeout", "2000"));
        return this;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public void start() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString()));
        command.addAll(appendOnly ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        if (masterPort != 0) {
            command.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort)));
        }
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server must be installed", e);
        }
        Ports.await(port, true);
    }

    /** Runs one redis-cli command against this server and returns its output, trimmed. */
    public String cli(String... command) {
        List<String> full = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        full.addAll(List.of(command));
        try {
            Process cli = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            cli.waitFor();
            return out.strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server at once, as a crash would. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        Ports.await(port, false);
    }
}
