package dev.tokenservice.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.event.SecurityEventType;

/**
 * The configured webhook endpoints, checked when the node starts: a URL that is not {@code http(s)}, a secret not
 * in {@code whsec_} form, an unknown event type or a bad global setting stops the node from starting.
 */
@ApplicationScoped
public class WebhookEndpoints {

    /** The event types the service writes to its security event log. */
    static final Set<String> EVENT_TYPES = Arrays.stream(SecurityEventType.values()).map(SecurityEventType::wire)
            .collect(Collectors.toUnmodifiableSet());
    private static final String SECRET_PREFIX = "whsec_";

    private final List<Webhook> all;

    public WebhookEndpoints(WebhookConfig config) {
        checkSettings(config);
        List<Webhook> webhooks = new ArrayList<>();
        for (Map.Entry<String, WebhookConfig.Endpoint> entry : config.endpoints().entrySet()) {
            webhooks.add(webhook(entry.getKey(), entry.getValue()));
        }
        all = List.copyOf(webhooks);
    }

    /** Every configured endpoint. */
    List<Webhook> all() {
        return all;
    }

    /** The endpoints that want events of this type. */
    List<Webhook> wanting(String type) {
        return all.stream().filter(webhook -> webhook.wants(type)).toList();
    }

    private static Webhook webhook(String name, WebhookConfig.Endpoint endpoint) {
        return new Webhook(name, url(name, endpoint.url()), key(name, endpoint.secret()), events(name, endpoint));
    }

    private static URI url(String name, String value) {
        try {
            URI url = new URI(value);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw invalid(name, "url must be an http or https URL with a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw invalid(name, "url is not a URL");
        }
    }

    /** The HMAC key: the bytes the base64 after {@code whsec_} stands for. */
    static byte[] key(String name, String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw invalid(name, "secret must be whsec_ followed by base64");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw invalid(name, "secret must be whsec_ followed by base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw invalid(name, "secret must stand for 24 to 64 bytes, not " + key.length);
        }
        return key;
    }

    private static Set<String> events(String name, WebhookConfig.Endpoint endpoint) {
        Set<String> events = new HashSet<>();
        for (String type : endpoint.events()) {
            String trimmed = type.trim();
            if (!trimmed.equals(Webhook.ALL) && !EVENT_TYPES.contains(trimmed)) {
                throw invalid(name, "unknown event type " + trimmed);
            }
            events.add(trimmed);
        }
        if (events.isEmpty()) {
            throw invalid(name, "events must name at least one type, or *");
        }
        return Set.copyOf(events);
    }

    private static void checkSettings(WebhookConfig config) {
        if (config.maxAttempts() < 1 || config.maxQueued() < 1) {
            throw new IllegalStateException("auth.webhooks.max-attempts and max-queued must be at least 1");
        }
        if (config.timeout().isNegative() || config.timeout().isZero() || config.backoffBase().isNegative()
                || config.backoffMax().compareTo(config.backoffBase()) < 0 || config.pollInterval().isZero()
                || config.pollInterval().isNegative()) {
            throw new IllegalStateException("auth.webhooks: timeout and poll-interval must be positive, "
                    + "backoff-max at least backoff-base");
        }
    }

    private static IllegalStateException invalid(String name, String what) {
        return new IllegalStateException("auth.webhooks." + name + ": " + what);
    }
}
