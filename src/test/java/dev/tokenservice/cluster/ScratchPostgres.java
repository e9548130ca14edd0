package dev.tokenservice.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL cluster (initdb + pg_ctl, run as the postgres OS user) on its own port and
 * data directory, empty at first start, so a test can stop it without touching the shared server.
 */
public final class ScratchPostgres {

    private final int port;
    private final Path dir;
    private final Path bin;

    public ScratchPostgres(int port) {
        this.port = port;
        this.bin = findBin();
        try {
            this.dir = Files.createTempDirectory("pg-" + port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run(List.of("chown", "postgres:postgres", dir.toString()));
        runAsPostgres(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public void start() {
        runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w",
                "-l", dir.resolve("postgres.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir, "start"));
        Ports.await(port, true);
    }

    /** Stops at once, without a clean shutdown, as a crash would. */
    public void stop() {
        runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w",
                "-m", "immediate", "stop"));
        Ports.await(port, false);
    }

    private static Path findBin() {
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        if (versions == null || versions.length == 0) {
            throw new IllegalStateException("PostgreSQL server binaries not found under /usr/lib/postgresql");
        }
        return Arrays.stream(versions).max(Comparator.comparing(f -> Integer.parseInt(f.getName().replaceAll("\\D", ""))))
                .orElseThrow().toPath().resolve("bin");
    }

    private static void runAsPostgres(List<String> command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) {
        try {
            File output = File.createTempFile("pg-command", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + Files.readString(output.toPath()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
