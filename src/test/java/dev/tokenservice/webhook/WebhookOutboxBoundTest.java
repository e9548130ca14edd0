package dev.tokenservice.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.tokenservice.event.SecurityEvent;

@QuarkusTest
@TestProfile(SmallWebhookOutbox.class)
class WebhookOutboxBoundTest {

    @Test
    void outboxKeepsTheNewestDeliveriesWithinItsBound() {
        double droppedBefore = WebhookDeliveryTest.deliveries("down", "dropped");
        List<SecurityEvent> events = IntStream.range(0, 8).mapToObj(i -> TestEvents.event("session.revoked")).toList();
        TestEvents.commit(events.toArray(SecurityEvent[]::new));
        List<UUID> newest = events.subList(3, 8).stream().map(SecurityEvent::id).toList();
        WebhookDeliveryTest.await(() -> TestEvents.queued("down").equals(newest));
        double dropped = WebhookDeliveryTest.deliveries("down", "dropped") - droppedBefore;
        assertTrue(dropped >= 3, "dropped " + dropped);
        // the receiver stays down: the survivors are marked failed after two attempts, and stay within the bound
        WebhookDeliveryTest.await(() -> newest.stream().allMatch(id -> TestEvents.rows(id).stream()
                .allMatch(row -> "failed".equals(row[1]))));
        assertEquals(newest, TestEvents.queued("down"));
    }
}
