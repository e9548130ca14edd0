package dev.tokenservice.webhook;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Two webhooks to the test's receiver: {@code hooks} for logins, password changes and ended sessions, and
 * {@code broken} (always 500) for key rotations; three attempts 50 to 200 ms apart, polled every 200 ms.
 */
public class ShortWebhookTimers implements QuarkusTestProfile {

    /** 32 bytes 0x01..0x20 in whsec_ form. */
    static final String SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    @Override
    public Map<String, String> getConfigOverrides() {
        String receiver = "http://127.0.0.1:" + WebhookReceiver.port();
        return Map.ofEntries(
                Map.entry("auth.webhooks.hooks.url", receiver + "/hooks"),
                Map.entry("auth.webhooks.hooks.secret", SECRET),
                Map.entry("auth.webhooks.hooks.events", "login.succeeded,login.failed,password.changed,session.revoked"),
                Map.entry("auth.webhooks.broken.url", receiver + "/broken"),
                Map.entry("auth.webhooks.broken.secret", SECRET),
                Map.entry("auth.webhooks.broken.events", "key.rotated"),
                Map.entry("auth.webhooks.timeout", "2S"),
                Map.entry("auth.webhooks.max-attempts", "3"),
                Map.entry("auth.webhooks.backoff-base", "50ms"),
                Map.entry("auth.webhooks.backoff-max", "200ms"),
                Map.entry("auth.webhooks.poll-interval", "200ms"));
    }
}
