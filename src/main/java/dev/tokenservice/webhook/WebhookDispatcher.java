package dev.tokenservice.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * One delivery thread per configured endpoint on every node, so a slow receiver holds up only its own deliveries.
 * A thread runs a {@link WebhookCourier} round when this node queued something (woken after the commit), when a
 * retry is due, and at least every {@code auth.webhooks.poll-interval} for what other nodes queued. With no
 * endpoint configured, no thread starts.
 */
@ApplicationScoped
public class WebhookDispatcher {

    /** The shortest time between two log lines about failing rounds of one endpoint. */
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(15);

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final WebhookCourier courier;
    private final WebhookMetrics metrics;
    private final WebhookConfig config;
    private final Clock clock;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    public WebhookDispatcher(WebhookEndpoints endpoints, WebhookDeliveries deliveries, WebhookCourier courier,
            WebhookMetrics metrics, WebhookConfig config, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.courier = courier;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        for (Webhook webhook : endpoints.all()) {
            QuarkusTransaction.requiringNew().run(() -> deliveries.ensure(webhook.name()));
            metrics.register(webhook.name());
            Lane lane = new Lane(webhook);
            lanes.put(webhook.name(), lane);
            lane.thread.start();
        }
        if (!lanes.isEmpty()) {
            Log.infof("webhooks: delivering to %s", lanes.keySet());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        lanes.values().forEach(lane -> lane.thread.interrupt());
    }

    /** Runs a round for the endpoint now (this node just queued for it). */
    void wake(String endpoint) {
        Lane lane = lanes.get(endpoint);
        if (lane != null) {
            lane.signal.offer(Boolean.TRUE);
        }
    }

    private final class Lane implements Runnable {
        private final Webhook webhook;
        private final Thread thread;
        private final BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);
        private long lastLogged = System.nanoTime() - LOG_INTERVAL.toNanos();

        Lane(Webhook webhook) {
            this.webhook = webhook;
            this.thread = new Thread(this, "webhook-" + webhook.name());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long wait = Duration.between(clock.instant(), round()).toMillis();
                    if (wait > 0) {
                        signal.poll(wait, TimeUnit.MILLISECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Instant round() {
            try {
                return courier.deliver(webhook);
            } catch (RuntimeException e) {
                if (!Thread.currentThread().isInterrupted()
                        && System.nanoTime() - lastLogged >= LOG_INTERVAL.toNanos()) {
                    lastLogged = System.nanoTime();
                    Log.warnf(e, "webhook %s: a delivery round failed; retrying", webhook.name());
                }
                return clock.instant().plus(config.pollInterval());
            }
        }
    }
}
