package dev.tokenservice.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.persistence.EntityManager;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.tokenservice.event.SecurityEvent;
import dev.tokenservice.event.SecurityEventWritten;

/** Synthetic security events, fired as the event writer fires them (inside a transaction), and the outbox's rows. */
final class TestEvents {

    private static final AtomicLong SEQ = new AtomicLong(System.currentTimeMillis() * 1000);

    private TestEvents() {
    }

    static SecurityEvent event(String type) {
        return new SecurityEvent(SEQ.incrementAndGet(), UUID.randomUUID(), Instant.now(), type, UUID.randomUUID(),
                "user-" + UUID.randomUUID().toString().substring(0, 8), UUID.randomUUID(), "web", "127.0.0.1",
                "webhook-test", Map.of("reason", "test", "count", 3));
    }

    /** Fires the events in one transaction that commits. */
    static void commit(SecurityEvent... events) {
        QuarkusTransaction.requiringNew().run(() -> fire(events));
    }

    static void fire(SecurityEvent... events) {
        for (SecurityEvent event : events) {
            Arc.container().beanManager().getEvent().select(SecurityEventWritten.class)
                    .fire(new SecurityEventWritten(event));
        }
    }

    /** {@code [endpoint, state, attempts]} of the outbox rows of an event. */
    static List<Object[]> rows(UUID eventId) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager().createNativeQuery(
                "select endpoint, state, attempts from token_service.webhook_delivery where event_id = :id")
                .setParameter("id", eventId).getResultList().stream().map(Object[].class::cast).toList());
    }

    /** The event ids of an endpoint's outbox rows, oldest first. */
    static List<UUID> queued(String endpoint) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager().createNativeQuery(
                "select cast(event_id as text) from token_service.webhook_delivery where endpoint = :e order by id")
                .setParameter("e", endpoint).getResultList().stream().map(id -> UUID.fromString((String) id))
                .toList());
    }

    private static EntityManager entityManager() {
        return Arc.container().instance(EntityManager.class).get();
    }
}
