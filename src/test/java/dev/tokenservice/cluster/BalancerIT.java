package dev.tokenservice.cluster;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The balancer of {@code scripts/cluster.sh}: failed logins count against the client's real address whatever
 * forwarding headers it forges, and the operators' endpoints are served on the nodes' own ports only.
 */
class BalancerIT {

    /** auth.login.max-failures-per-address, left at its default by the cluster. */
    static final int PER_ADDRESS = 100;
    static final int ATTEMPTS = 130;
    static final String ADDRESS_KEYS = "auth:login-failures:addr:*";

    static ClusterEnvironment env;

    @BeforeAll
    static void startCluster() {
        env = ClusterEnvironment.start("balancer", 15435, 16402, 19180);
    }

    @AfterAll
    static void stopCluster() {
        if (env != null) {
            env.close();
        }
    }

    @BeforeEach
    void forgetFailedLogins() {
        for (String key : redis("--scan", "--pattern", ADDRESS_KEYS)) {
            redis("DEL", key);
        }
    }

    @Test
    void aForgedXForwardedForIsNotANewClient() {
        attack("X-Forwarded-For", request -> request.header("X-Forwarded-For", randomAddress()));
    }

    @Test
    void aForgedForwardedIsNotANewClient() {
        attack("Forwarded", request -> request.header("Forwarded", "for=\"" + randomAddress() + "\""));
    }

    @Test
    void twoForgedXForwardedForLinesAreNotANewClient() {
        attack("two X-Forwarded-For lines", request -> request.header("X-Forwarded-For", randomAddress())
                .header("X-Forwarded-For", randomAddress() + ", " + randomAddress()));
    }

    @Test
    void metricsAndOpenApiAreServedOnTheNodesOnly() {
        for (String path : List.of("/q/metrics", "/q/openapi")) {
            env.a.plain().get(path).then().statusCode(200);
            env.balancer.plain().get(path).then().statusCode(404)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("urn:token-service:problem:not-found"), "status", equalTo(404));
        }
        // spelled so that the nodes still route them to the same endpoints
        for (String path : List.of("/q/openapi.json", "/q//metrics", "/q/%6Detrics", "/q/./metrics",
                "/auth/../q/metrics", "/auth/%2e%2e/q/openapi")) {
            assertEquals(404, rawStatus(env.balancer.baseUri(), path), path);
        }
        env.balancer.plain().get("/q/health/ready").then().statusCode(200);
    }

    /** Failed logins for random usernames, each request dressed by {@code forge}, from this one test client. */
    private static void attack(String name, UnaryOperator<RequestSpecification> forge) {
        int unauthorized = 0;
        int throttled = 0;
        for (int i = 0; i < ATTEMPTS; i++) {
            String username = "balancer-" + UUID.randomUUID().toString().substring(0, 12);
            Response response = forge.apply(env.balancer.json())
                    .body(Map.of("username", username, "password", "wrong password")).post("/auth/login");
            if (response.statusCode() == 429) {
                throttled++;
                response.then().header("Retry-After", matchesPattern("\\d+"))
                        .body("type", equalTo("urn:token-service:problem:too-many-attempts"));
            } else {
                assertEquals(401, response.statusCode(), response.asString());
                unauthorized++;
            }
        }
        System.out.printf("BalancerIT %s: %d x 401, %d x 429 of %d failed logins%n", name, unauthorized, throttled,
                ATTEMPTS);
        assertTrue(unauthorized <= PER_ADDRESS, name + ": " + unauthorized + " failed logins before any 429");
        assertTrue(throttled > 0, name + ": no 429");
        // every attempt was counted against the balancer's view of the client, nothing the client wrote
        assertEquals(List.of("auth:login-failures:addr:{127.0.0.1}"), redis("--scan", "--pattern", ADDRESS_KEYS));
    }

    private static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return random.nextBoolean()
                ? "198.51." + random.nextInt(256) + "." + (1 + random.nextInt(254))
                : "2001:db8::" + Integer.toHexString(1 + random.nextInt(0xfffe));
    }

    /** The status of a GET sent byte for byte, since HTTP clients tidy paths up before sending them. */
    private static int rawStatus(String baseUri, String path) {
        URI uri = URI.create(baseUri);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> redis(String... args) {
        String port = Integer.toString(URI.create(env.redis.url()).getPort());
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", port));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + ": " + output);
            }
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
