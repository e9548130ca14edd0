package dev.tokenservice.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of the packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a plain {@code java -jar}
 * process with its own settings (system properties), for tests that restart the service with another
 * configuration.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(int port, Map<String, String> settings) {
        this(port, "-Xmx256m", settings);
    }

    private ServiceProcess(int port, String jvmOptions, Map<String, String> settings) {
        this.port = port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), jvmOptions, "-Dquarkus.http.port=" + port));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        try {
            this.log = Files.createTempFile("service-" + port, ".log");
            this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a node and waits until it is ready. */
    static ServiceProcess start(int port, Map<String, String> settings) {
        ServiceProcess node = new ServiceProcess(port, settings);
        node.awaitReady();
        return node;
    }

    /** Starts a node with the JVM options the container image runs it with ({@code deploy/jvm.options}). */
    static ServiceProcess startAsShipped(int port, Map<String, String> settings) {
        ServiceProcess node = new ServiceProcess(port, "@deploy/jvm.options", settings);
        node.awaitReady();
        return node;
    }

    /** Starts a node that is expected to give up; returns once it has exited. */
    static ServiceProcess startExpectingExit(int port, Map<String, String> settings) {
        ServiceProcess node = new ServiceProcess(port, settings);
        node.awaitExit();
        return node;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    int exitCode() {
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP);
        while (!isReady()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("node on port " + port + " did not become ready:\n" + log());
            }
            ClusterIT.sleep(Duration.ofMillis(200));
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
                close();
                throw new IllegalStateException("node on port " + port + " kept running:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean isReady() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the node as an operator would (SIGTERM), forcibly if it takes too long. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Ports.await(port, false);
    }
}
