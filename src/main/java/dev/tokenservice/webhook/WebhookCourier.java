package dev.tokenservice.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * One round of an endpoint's deliveries, in one transaction that holds the endpoint's row lock: the outbox is cut
 * to its bound, then the oldest pending deliveries are sent in order until one fails (it is retried after a backoff
 * and blocks the endpoint until then) or is not yet due. A delivered row is deleted in the same transaction, so a
 * node that dies mid-round leaves every row it had not committed, and the lock, to the next node.
 */
@ApplicationScoped
public class WebhookCourier {

    /** Deliveries read per round; the lock is released and taken again between rounds. */
    static final int BATCH = 100;
    /** No new delivery starts after this much of a round: the bound is enforced at least this often. */
    private static final Duration ROUND_BUDGET = Duration.ofSeconds(10);

    private final WebhookConfig config;
    private final WebhookDeliveries deliveries;
    private final WebhookSender sender;
    private final WebhookMetrics metrics;
    private final Clock clock;

    public WebhookCourier(WebhookConfig config, WebhookDeliveries deliveries, WebhookSender sender,
            WebhookMetrics metrics, Clock clock) {
        this.config = config;
        this.deliveries = deliveries;
        this.sender = sender;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Runs a round; returns when the endpoint needs the next one (now, when deliveries are left). */
    Instant deliver(Webhook webhook) {
        long timeout = ROUND_BUDGET.plus(config.timeout().multipliedBy(2)).toSeconds() + 30;
        return QuarkusTransaction.requiringNew().timeout((int) timeout).call(() -> round(webhook));
    }

    private Instant round(Webhook webhook) {
        Instant idle = clock.instant().plus(config.pollInterval());
        if (!deliveries.lock(webhook.name())) {
            metrics.pending(webhook.name(), deliveries.count(webhook.name()).pending());
            return idle;
        }
        long pending = bound(webhook.name());
        long deadline = System.nanoTime() + ROUND_BUDGET.toNanos();
        List<WebhookDeliveries.Delivery> heads = deliveries.heads(webhook.name(), BATCH);
        for (WebhookDeliveries.Delivery delivery : heads) {
            Instant now = clock.instant();
            if (delivery.nextAttemptAt().isAfter(now)) {
                metrics.pending(webhook.name(), pending);
                return delivery.nextAttemptAt().isBefore(idle) ? delivery.nextAttemptAt() : idle;
            }
            if (System.nanoTime() > deadline) {
                metrics.pending(webhook.name(), pending);
                return now;
            }
            Instant retryAt = attempt(webhook, delivery);
            if (retryAt != null) {
                metrics.pending(webhook.name(), pending);
                return retryAt;
            }
            pending--;
        }
        metrics.pending(webhook.name(), pending);
        return heads.size() == BATCH ? clock.instant() : idle;
    }

    /** Drops what is beyond {@code auth.webhooks.max-queued}; returns the pending deliveries left. */
    private long bound(String endpoint) {
        WebhookDeliveries.Counts counts = deliveries.count(endpoint);
        long excess = counts.total() - config.maxQueued();
        if (excess <= 0) {
            return counts.pending();
        }
        long dropped = deliveries.trim(endpoint, excess);
        metrics.count(endpoint, WebhookMetrics.DROPPED, dropped);
        Log.warnf("webhook %s: %d deliveries dropped, beyond auth.webhooks.max-queued (%d)", endpoint, dropped,
                config.maxQueued());
        return deliveries.count(endpoint).pending();
    }

    /** Sends one delivery and records the outcome; returns when to retry it, or null when it is settled. */
    private Instant attempt(Webhook webhook, WebhookDeliveries.Delivery delivery) {
        WebhookSender.Attempt attempt = sender.send(webhook, delivery);
        Instant now = clock.instant();
        if (attempt.delivered()) {
            deliveries.delivered(delivery.id());
            metrics.delivered(webhook.name(), Duration.between(delivery.eventTime(), now));
            return null;
        }
        int attempts = delivery.attempts() + 1;
        if (attempts >= config.maxAttempts()) {
            deliveries.fail(delivery.id(), attempts, now, attempt.status());
            metrics.count(webhook.name(), WebhookMetrics.FAILED, 1);
            Log.warnf("webhook %s: delivery of event %s failed after %d attempts (last: %s)", webhook.name(),
                    delivery.eventId(), attempts, attempt.status());
            return null;
        }
        Instant next = now.plus(backoff(attempts));
        deliveries.retry(delivery.id(), attempts, now, next, attempt.status());
        Log.warnf("webhook %s: attempt %d of event %s failed (%s); next at %s", webhook.name(), attempts,
                delivery.eventId(), attempt.status(), next);
        return next;
    }

    /** Between half and all of {@code base * 2^(attempts-1)}, at most {@code backoff-max}. */
    Duration backoff(int attempts) {
        long base = config.backoffBase().toMillis();
        long max = config.backoffMax().toMillis();
        long full = attempts > 40 ? max : Math.min(max, base << Math.min(attempts - 1, 40));
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }
}
