package dev.tokenservice.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/** Webhooks (docs/API.md, Webhooks), under {@code auth.webhooks.*}: the endpoints by name and their delivery. */
@ConfigMapping(prefix = "auth.webhooks")
public interface WebhookConfig {

    /** The endpoints by name ({@code auth.webhooks.<name>.url} ...); none configured, nothing is queued or sent. */
    @WithParentName
    Map<String, Endpoint> endpoints();

    /** Connect and response timeout of one delivery attempt. */
    @WithDefault("5S")
    Duration timeout();

    /** Attempts of one delivery before it is marked failed and the endpoint's next delivery goes. */
    @WithDefault("10")
    int maxAttempts();

    /** The wait after a delivery's first failed attempt; it doubles with each further one, up to backoff-max. */
    @WithDefault("1S")
    Duration backoffBase();

    /** The longest wait between two attempts of one delivery. */
    @WithDefault("5M")
    Duration backoffMax();

    /** Deliveries kept per endpoint (pending and failed); beyond them the oldest failed, then oldest pending, go. */
    @WithDefault("10000")
    int maxQueued();

    /** How often each node looks for deliveries queued by the other nodes and for retries that are due. */
    @WithDefault("1S")
    Duration pollInterval();

    interface Endpoint {
        /** The {@code http} or {@code https} URL each delivery is POSTed to. */
        String url();

        /** The signing secret in its Standard Webhooks form, {@code whsec_} and the base64 of 24 to 64 bytes. */
        String secret();

        /** The event types sent to this endpoint, or {@code *} for all. */
        List<String> events();
    }
}
