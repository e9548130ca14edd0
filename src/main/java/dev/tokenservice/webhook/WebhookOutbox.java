package dev.tokenservice.webhook;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import dev.tokenservice.event.SecurityEvent;
import dev.tokenservice.event.SecurityEventWritten;

/**
 * Queues a delivery for each endpoint that wants a written event, in the transaction that writes it, and wakes this
 * node's couriers once that transaction commits. Nothing here waits on a receiver: logins and revocations pay one
 * insert per endpoint.
 */
@ApplicationScoped
public class WebhookOutbox {

    private final WebhookEndpoints endpoints;
    private final WebhookPayload payloads;
    private final WebhookDeliveries deliveries;
    private final WebhookDispatcher dispatcher;

    public WebhookOutbox(WebhookEndpoints endpoints, WebhookPayload payloads, WebhookDeliveries deliveries,
            WebhookDispatcher dispatcher) {
        this.endpoints = endpoints;
        this.payloads = payloads;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
    }

    void queue(@Observes SecurityEventWritten written) {
        SecurityEvent event = written.event();
        List<Webhook> wanting = endpoints.wanting(event.type());
        if (wanting.isEmpty()) {
            return;
        }
        String payload = payloads.of(event);
        for (Webhook webhook : wanting) {
            deliveries.queue(webhook.name(), event.id(), event.seq(), event.time(), payload);
        }
    }

    void wake(@Observes(during = TransactionPhase.AFTER_SUCCESS) SecurityEventWritten written) {
        for (Webhook webhook : endpoints.wanting(written.event().type())) {
            dispatcher.wake(webhook.name());
        }
    }
}
