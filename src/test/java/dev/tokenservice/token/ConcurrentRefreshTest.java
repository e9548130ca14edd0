package dev.tokenservice.token;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ConcurrentRefreshTest {

    private static final int CONCURRENCY = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/auth/refresh")
    URL refreshUrl;

    @Inject
    AdjustableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void concurrentRefreshesYieldOneSuccessorAndTheSessionSurvives() throws Exception {
        Tokens tokens = newSession();
        List<HttpResponse<String>> responses = refreshConcurrently(tokens.refreshToken());

        Set<String> successors = new HashSet<>();
        for (HttpResponse<String> response : responses) {
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            successors.add(body.get("refresh_token").asText());
            greeting(body.get("access_token").asText()).then().statusCode(200);
        }
        assertEquals(1, successors.size());
        refresh(successors.iterator().next()).then().statusCode(200);
    }

    @Test
    void replayAfterTheGraceStillRevokes() throws Exception {
        Tokens tokens = newSession();
        List<HttpResponse<String>> responses = refreshConcurrently(tokens.refreshToken());
        String successor = JSON.readTree(responses.get(0).body()).get("refresh_token").asText();
        clock.advance(Duration.ofSeconds(11));

        assertInvalidToken(refresh(tokens.refreshToken()));
        assertInvalidToken(refresh(successor));
    }

    private List<HttpResponse<String>> refreshConcurrently(String refreshToken) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(refreshUrl.toString()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + refreshToken + "\"}"))
                .build();
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            futures.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> future : futures) {
            responses.add(future.get());
        }
        return responses;
    }
}
