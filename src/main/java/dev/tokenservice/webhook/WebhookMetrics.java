package dev.tokenservice.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * {@code webhook_deliveries_total{endpoint,outcome}} (sent, failed, dropped), {@code webhook_pending{endpoint}}
 * (refreshed by the courier, not counted on scrape) and {@code webhook_delivery_latency_seconds{endpoint}} (from
 * the event's time to the receiver's 2xx).
 */
@ApplicationScoped
public class WebhookMetrics {

    static final String SENT = "sent";
    static final String FAILED = "failed";
    static final String DROPPED = "dropped";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers an endpoint's meters at zero, so they show before its first delivery. */
    void register(String endpoint) {
        for (String outcome : new String[] {SENT, FAILED, DROPPED}) {
            count(endpoint, outcome, 0);
        }
        latency(endpoint);
        pending.computeIfAbsent(endpoint,
                name -> registry.gauge("webhook.pending", Tags.of("endpoint", name), new AtomicLong()));
    }

    void count(String endpoint, String outcome, long deliveries) {
        registry.counter("webhook.deliveries", "endpoint", endpoint, "outcome", outcome).increment(deliveries);
    }

    void delivered(String endpoint, Duration sinceEvent) {
        count(endpoint, SENT, 1);
        latency(endpoint).record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
    }

    void pending(String endpoint, long deliveries) {
        AtomicLong gauge = pending.get(endpoint);
        if (gauge != null) {
            gauge.set(deliveries);
        }
    }

    private Timer latency(String endpoint) {
        return Timer.builder("webhook.delivery.latency").tag("endpoint", endpoint).publishPercentileHistogram()
                .register(registry);
    }
}
