package dev.tokenservice.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steady traffic through the balancer while a fault is injected: a few threads alternate a valid and a
 * revoked access token on {@code GET /api/greeting} and count the answers. Bounded: it stops on
 * {@link #stop()} or after two minutes, whichever comes first.
 */
final class Load implements AutoCloseable {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    Load(String baseUri, String validToken, String revokedToken, int threadCount) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(() -> {
                while (running.get() && System.nanoTime() < deadline) {
                    hit(baseUri, "valid", validToken);
                    hit(baseUri, "revoked", revokedToken);
                }
            }, "load-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private void hit(String baseUri, String kind, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + "/api/greeting"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .build();
        String outcome;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            outcome = Integer.toString(response.statusCode());
            if (response.statusCode() >= 400
                    && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                outcome += "-not-problem";
            }
        } catch (Exception e) {
            outcome = "io-error";
        }
        counts.computeIfAbsent(kind + ":" + outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    int count(String kind, String outcome) {
        AtomicInteger count = counts.get(kind + ":" + outcome);
        return count == null ? 0 : count.get();
    }

    Map<String, Integer> snapshot() {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((key, value) -> copy.put(key, value.get()));
        return copy;
    }

    void reset() {
        counts.clear();
    }

    void stop() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
