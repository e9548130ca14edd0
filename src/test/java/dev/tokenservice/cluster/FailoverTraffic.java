package dev.tokenservice.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenservice.TokenParts;
import dev.tokenservice.revocation.RevocationKeys;

/** The pieces of {@link SentinelIT}'s traffic: one node's API over plain HTTP, outcomes, counts and probes. */
final class FailoverTraffic {

    private FailoverTraffic() {
    }

    /** A logout answered 204: when it was sent and when the answer came ({@link System#nanoTime()}). */
    record Ack(String token, long sent, long acknowledged) {

        /**
         * The Redis key of the revocation of this token's session: a logout writes it with the token's own in one
         * script, and it is the one that PostgreSQL's record restores after Redis lost data.
         */
        String revocationKey() {
            return RevocationKeys.session(UUID.fromString(TokenParts.claims(token).getString("sid")));
        }
    }

    /** A status, whether an error was a problem document, and the body. */
    record Outcome(int status, boolean problem, String body) {

        private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

        static final Outcome IO_ERROR = new Outcome(-1, true, "");

        String accessToken() {
            Matcher matcher = ACCESS_TOKEN.matcher(body);
            if (!matcher.find()) {
                throw new IllegalStateException("no access token in " + status + " answer");
            }
            return matcher.group(1);
        }

        String key() {
            return status < 0 ? "io-error" : status + (status >= 400 && !problem ? "-not-problem" : "");
        }
    }

    /** One node's public API, on a client of its own. */
    static final class Api {

        private final String base;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        Api(String base) {
            this.base = base;
        }

        /** Registers a random user and returns its name. */
        String register() {
            String username = "sentinel-" + UUID.randomUUID().toString().substring(0, 12);
            Outcome outcome = post("/auth/register", null, credentials(username));
            if (outcome.status() != 201) {
                throw new IllegalStateException("register answered " + outcome.status());
            }
            return username;
        }

        /** Logs in and returns the access token. */
        String session(String username) {
            Outcome outcome = login(username);
            if (outcome.status() != 200) {
                throw new IllegalStateException("login answered " + outcome.status());
            }
            return outcome.accessToken();
        }

        Outcome login(String username) {
            return post("/auth/login", null, credentials(username));
        }

        Outcome logout(String token) {
            return post("/auth/logout", token, null);
        }

        Outcome greeting(String token) {
            return send(HttpRequest.newBuilder(URI.create(base + "/api/greeting")).GET(), token);
        }

        /** The Prometheus lines of {@code GET /q/metrics} that start with {@code name}. */
        List<String> metric(String name) {
            Outcome outcome = send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).GET(), null);
            return outcome.body().lines().filter(line -> line.startsWith(name)).toList();
        }

        /** {@code GET /q/health/ready}. */
        Outcome ready() {
            return send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).GET(), null);
        }

        /** The greeting's answer once it is not 503, or the 503 after {@code limit}. */
        Outcome greetingOnceAvailable(String token, Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            Outcome outcome = greeting(token);
            while (outcome.status() == 503 && System.nanoTime() < deadline) {
                ClusterIT.sleep(Duration.ofMillis(100));
                outcome = greeting(token);
            }
            return outcome;
        }

        private Outcome post(String path, String token, String json) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            return send(request, token);
        }

        private Outcome send(HttpRequest.Builder request, String token) {
            request.timeout(Duration.ofSeconds(10));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                boolean problem = response.headers().firstValue("Content-Type").orElse("")
                        .startsWith("application/problem+json");
                return new Outcome(response.statusCode(), problem, response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.IO_ERROR;
            } catch (Exception e) {
                return Outcome.IO_ERROR;
            }
        }

        private static String credentials(String username) {
            return "{\"username\":\"" + username + "\",\"password\":\"" + Client.PASSWORD + "\"}";
        }
    }

    /**
     * One client's loop until {@code running} is cleared: log in at home, check the token on every node, log out
     * on either node; every 204 is kept in {@code acks}.
     */
    static void logouts(Api home, String username, List<Api> nodes, Counts counts, List<Ack> acks,
            AtomicBoolean running) {
        while (running.get()) {
            Outcome login = home.login(username);
            counts.add("login", login);
            if (login.status() != 200) {
                ClusterIT.sleep(Duration.ofMillis(50));
                continue;
            }
            String token = login.accessToken();
            nodes.forEach(node -> counts.add("valid", node.greeting(token)));
            Api target = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
            long sent = System.nanoTime();
            Outcome logout = target.logout(token);
            counts.add("logout", logout);
            if (logout.status() == 204) {
                acks.add(new Ack(token, sent, System.nanoTime()));
                counts.add("revoked-same", target.greeting(token));
            }
        }
    }

    /** Counts outcomes per kind, e.g. {@code logout:503}. */
    static final class Counts {

        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        void add(String kind, Outcome outcome) {
            add(kind + ":" + outcome.key());
        }

        void add(String key) {
            counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }

        int get(String key) {
            AtomicInteger count = counts.get(key);
            return count == null ? 0 : count.get();
        }

        Map<String, Integer> snapshot() {
            Map<String, Integer> copy = new TreeMap<>();
            counts.forEach((key, value) -> copy.put(key, value.get()));
            return copy;
        }

        @Override
        public String toString() {
            return snapshot().toString();
        }
    }

    /** Greets one node with a valid token every 20 ms and notes when it stopped and started answering 200. */
    static final class Probe implements Runnable {

        private final Api node;
        private final String token;
        private final AtomicBoolean running;
        private volatile long killed;
        private volatile long firstOutage;
        private volatile long recovered;

        Probe(Api node, String token, AtomicBoolean running) {
            this.node = node;
            this.token = token;
            this.running = running;
        }

        void killedAt(long nanos) {
            killed = nanos;
        }

        boolean recovered() {
            return recovered != 0;
        }

        long recoveredAt() {
            return recovered;
        }

        long firstOutageAt() {
            return firstOutage;
        }

        @Override
        public void run() {
            while (running.get()) {
                int status = node.greeting(token).status();
                long now = System.nanoTime();
                if (killed != 0 && status != 200 && firstOutage == 0) {
                    firstOutage = now;
                } else if (firstOutage != 0 && status == 200 && recovered == 0) {
                    recovered = now;
                }
                ClusterIT.sleep(Duration.ofMillis(20));
            }
        }
    }
}
