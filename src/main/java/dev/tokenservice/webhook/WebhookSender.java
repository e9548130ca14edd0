package dev.tokenservice.webhook;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

/** POSTs one signed delivery and tells whether the receiver took it (2xx) within the timeout. */
@ApplicationScoped
public class WebhookSender {

    /** What one attempt came to: delivered or not, and the status code or the failure, for the row. */
    record Attempt(boolean delivered, String status) {
    }

    private final WebhookConfig config;
    private final Clock clock;
    private final HttpClient client;

    public WebhookSender(WebhookConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends; an interrupt (the node stopping) ends the attempt with a {@link CancellationException}. */
    Attempt send(Webhook webhook, WebhookDeliveries.Delivery delivery) {
        String id = WebhookPayload.messageId(delivery.eventId());
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(webhook.url()).timeout(config.timeout())
                .header("content-type", "application/json")
                .header("user-agent", "token-service-webhooks")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(webhook.key(), id, timestamp, delivery.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                .build();
        CompletableFuture<HttpResponse<Void>> response =
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // the request timeout covers the headers; this also bounds a body that never ends
            int status = response.get(config.timeout().toMillis() * 2, TimeUnit.MILLISECONDS).statusCode();
            return new Attempt(status >= 200 && status < 300, Integer.toString(status));
        } catch (TimeoutException e) {
            response.cancel(true);
            return new Attempt(false, "timeout");
        } catch (ExecutionException e) {
            return new Attempt(false, failure(e.getCause()));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("the node is stopping");
        }
    }

    private static String failure(Throwable cause) {
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "timeout";
        }
        String name = cause.getClass().getSimpleName();
        return cause.getMessage() == null ? name : name + ": " + truncate(cause.getMessage());
    }

    private static String truncate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200);
    }
}
