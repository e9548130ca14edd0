package dev.tokenservice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refresh throughput: each of N workers owns one session and refreshes it again and again, always with the
 * successor it just received, for the given seconds. Loopback only. Run by bench/refresh-login.sh:
 * {@code RefreshLoad <base-url> <tokens-file> <seconds>} (one worker per line of the tokens file).
 */
public final class RefreshLoad {

    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");

    private RefreshLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/auth/refresh");
        if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
            throw new IllegalArgumentException("loopback targets only");
        }
        List<String> tokens = Files.readAllLines(Path.of(args[1]));
        long seconds = Long.parseLong(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (String first : tokens) {
            Thread worker = new Thread(() -> {
                String token = first;
                while (System.nanoTime() < end && token != null) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + token + "\"}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - start);
                        Matcher next = REFRESH_TOKEN.matcher(response.body());
                        if (response.statusCode() == 200 && next.find()) {
                            ok.incrementAndGet();
                            token = next.group(1);
                        } else {
                            failed.incrementAndGet();
                            token = null;
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        token = null;
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("refreshes: %d in %d s = %.0f/s with %d workers; failed %d; p50 %.2f ms  p99 %.2f ms%n",
                ok.get(), seconds, ok.get() / (double) seconds, tokens.size(), failed.get(),
                percentile(sorted, 50), percentile(sorted, 99));
    }

    private static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1_000_000.0;
    }
}
