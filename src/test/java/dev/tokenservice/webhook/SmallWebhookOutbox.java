package dev.tokenservice.webhook;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** One webhook, {@code down}, to a port nothing listens on, with an outbox of 5 deliveries and 2 quick attempts. */
public class SmallWebhookOutbox implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "auth.webhooks.down.url", "http://127.0.0.1:" + WebhookReceiver.freePort() + "/",
                "auth.webhooks.down.secret", ShortWebhookTimers.SECRET,
                "auth.webhooks.down.events", "*",
                "auth.webhooks.max-queued", "5",
                "auth.webhooks.max-attempts", "2",
                "auth.webhooks.backoff-base", "20ms",
                "auth.webhooks.backoff-max", "40ms",
                "auth.webhooks.poll-interval", "200ms");
    }
}
