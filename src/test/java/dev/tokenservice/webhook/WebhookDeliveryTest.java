package dev.tokenservice.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.tokenservice.event.SecurityEvent;

@QuarkusTest
@TestProfile(ShortWebhookTimers.class)
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void deliveriesArriveSignedAndInOrder() throws Exception {
        List<SecurityEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SecurityEvent event = TestEvents.event(i % 2 == 0 ? "login.succeeded" : "session.revoked");
            events.add(event);
            TestEvents.commit(event);
        }
        List<String> ids = events.stream().map(e -> "msg_" + e.id()).toList();
        await(() -> ids.stream().allMatch(id -> !receiver.received(id).isEmpty()));
        List<String> arrived = receiver.received().stream().map(WebhookReceiver.Received::id)
                .filter(ids::contains).toList();
        assertEquals(ids, arrived);
        for (SecurityEvent event : events) {
            WebhookReceiver.Received received = receiver.received("msg_" + event.id()).get(0);
            assertSigned(received);
            assertPayload(event, JSON.readTree(received.body()));
        }
    }

    @Test
    void failingReceiverGetsRetriesUntilItTakesTheDelivery() throws Exception {
        SecurityEvent event = TestEvents.event("password.changed");
        String id = "msg_" + event.id();
        receiver.failNext(id, 2);
        TestEvents.commit(event);
        await(() -> receiver.received(id).stream().anyMatch(r -> r.status() == 204));
        List<WebhookReceiver.Received> attempts = receiver.received(id);
        assertEquals(List.of(500, 500, 204), attempts.stream().map(WebhookReceiver.Received::status).toList());
        for (WebhookReceiver.Received attempt : attempts) {
            assertSigned(attempt);
            assertEquals(attempts.get(0).body(), attempt.body());
        }
        await(() -> TestEvents.rows(event.id()).isEmpty());
    }

    @Test
    void rolledBackTransactionQueuesNothing() {
        SecurityEvent rolledBack = TestEvents.event("login.failed");
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            TestEvents.fire(rolledBack);
            throw new IllegalStateException("the change fails after its event was written");
        }));
        assertTrue(TestEvents.rows(rolledBack.id()).isEmpty());
        // deliveries keep their order: once a later event has arrived, an earlier one never will
        SecurityEvent later = TestEvents.event("login.failed");
        TestEvents.commit(later);
        await(() -> !receiver.received("msg_" + later.id()).isEmpty());
        assertTrue(receiver.received("msg_" + rolledBack.id()).isEmpty());
    }

    @Test
    void deliveryIsMarkedFailedAfterMaxAttempts() {
        double failedBefore = deliveries("broken", "failed");
        SecurityEvent event = TestEvents.event("key.rotated");
        TestEvents.commit(event);
        await(() -> TestEvents.rows(event.id()).stream().anyMatch(row -> "failed".equals(row[1])));
        Object[] row = TestEvents.rows(event.id()).get(0);
        assertEquals(3, ((Number) row[2]).intValue());
        assertEquals(3, receiver.received("msg_" + event.id()).size());
        assertEquals(failedBefore + 1, deliveries("broken", "failed"));
    }

    @Test
    void slowReceiverDoesNotDelayTheTransaction() {
        receiver.delay(1500);
        try {
            SecurityEvent first = TestEvents.event("login.succeeded");
            TestEvents.commit(first);
            await(() -> !TestEvents.rows(first.id()).isEmpty() && receiver.received("msg_" + first.id()).isEmpty());
            long start = System.nanoTime();
            TestEvents.commit(TestEvents.event("login.succeeded"));
            Duration commit = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(commit.toMillis() < 500, "the commit took " + commit);
        } finally {
            receiver.delay(0);
        }
    }

    @Test
    void eventTypesAnEndpointDoesNotWantAreNotQueued() {
        SecurityEvent event = TestEvents.event("account.registered");
        TestEvents.commit(event);
        assertTrue(TestEvents.rows(event.id()).isEmpty());
    }

    private static void assertSigned(WebhookReceiver.Received received) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        String secret = ShortWebhookTimers.SECRET.substring("whsec_".length());
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret), "HmacSHA256"));
        String signed = received.id() + "." + received.timestamp() + "." + received.body();
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        assertEquals("v1," + expected, received.signature());
        long age = Instant.now().getEpochSecond() - Long.parseLong(received.timestamp());
        assertTrue(age >= -5 && age <= 60, "webhook-timestamp " + received.timestamp());
    }

    private static void assertPayload(SecurityEvent event, JsonNode body) {
        assertEquals(event.type(), body.get("type").asText());
        assertEquals(event.time(), Instant.parse(body.get("timestamp").asText()));
        JsonNode data = body.get("data");
        assertEquals(event.id().toString(), data.get("id").asText());
        assertEquals(event.type(), data.get("type").asText());
        assertEquals(event.userId().toString(), data.get("user_id").asText());
        assertEquals(event.username(), data.get("username").asText());
        assertEquals(event.sessionId().toString(), data.get("session_id").asText());
        assertEquals("web", data.get("client_id").asText());
        assertEquals("127.0.0.1", data.get("address").asText());
        assertEquals("webhook-test", data.get("user_agent").asText());
        assertEquals(Map.of("reason", "test", "count", 3), JSON.convertValue(data.get("detail"), Map.class));
    }

    static double deliveries(String endpoint, String outcome) {
        return Arc.container().instance(MeterRegistry.class).get()
                .counter("webhook.deliveries", "endpoint", endpoint, "outcome", outcome).count();
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the condition did not hold within 15 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
