package dev.tokenservice.account;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.tokenservice.Api;
import dev.tokenservice.Concurrent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Password hashing is bounded: a flood is refused with 503, never a 500 or an exhausted node. */
@QuarkusTest
class PasswordHashingLimitTest {

    @Inject
    PasswordHasher hasher;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void fiftyConcurrentLoginsOfRealUsersAllSucceed() {
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String username = randomUsername();
            register(username, PASSWORD).then().statusCode(201);
            usernames.add(username);
        }
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        List<Response> logins = Concurrent.all(50, () -> Api.login(usernames.get(next.getAndIncrement()), PASSWORD));
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf("50 concurrent logins: %d answered 200 in %d ms%n", Concurrent.countStatus(logins, 200), millis);
        assertEquals(50, Concurrent.countStatus(logins, 200));
    }

    @Test
    void aFloodOfRegistrationsIsRefusedWithinBoundsAndTheNodeLivesOn() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger mostActive = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (flooding.get()) {
                mostActive.accumulateAndGet(hasher.active(), Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/auth/register"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"" + randomUsername() + "\",\"password\":\"" + PASSWORD + "\"}"))
                    .build();
            flood.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> response : flood) {
            HttpResponse<String> answer = response.get();
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() == 503) {
                assertTrue(answer.headers().firstValue("Retry-After").isPresent());
                assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            }
        }
        flooding.set(false);
        sampler.join();
        System.out.printf("500 concurrent registrations: %s; at most %d hashes at once (%d processors)%n",
                statuses, mostActive.get(), Runtime.getRuntime().availableProcessors());
        assertEquals(500, statuses.getOrDefault(201, 0) + statuses.getOrDefault(503, 0), statuses.toString());
        assertTrue(statuses.getOrDefault(503, 0) > 0, "a flood this size must meet the bound: " + statuses);
        assertTrue(mostActive.get() <= Runtime.getRuntime().availableProcessors(), "hashes at once: " + mostActive);
        given().get("/q/health/live").then().statusCode(200);
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        Api.login(username, PASSWORD).then().statusCode(200);
    }
}
