package dev.tokenservice.feed;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.core.JsonProcessingException;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.client.ClientAuthenticator;
import dev.tokenservice.client.InvalidClientException;
import dev.tokenservice.client.RegisteredClient;
import dev.tokenservice.client.TooManyClientAttemptsException;
import dev.tokenservice.error.OAuthError;
import dev.tokenservice.error.Problem;
import dev.tokenservice.revocation.RevocationMirror;
import dev.tokenservice.revocation.RevocationUnavailableException;
import dev.tokenservice.web.ClientAddress;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /oauth/revocations}: the revocation feed as Server-Sent Events, for confidential clients by HTTP Basic.
 * A Vert.x route rather than a JAX-RS resource, so that every byte of the event stream is ours (the exact
 * {@code id: }/{@code event: }/{@code data: } lines consumers parse) and writes follow the consumer's pace. Its
 * OpenAPI description is in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class RevocationFeedResource {

    static final String PATH = "/oauth/revocations";

    private final ClientAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final RevocationFeed feed;
    private final RevocationMirror mirror;
    private final FeedConfig config;
    private final ObjectMapper json;

    public RevocationFeedResource(ClientAuthenticator authenticator, ClientAddress clientAddress, RevocationFeed feed,
            RevocationMirror mirror, FeedConfig config, ObjectMapper json) {
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.feed = feed;
        this.mirror = mirror;
        this.config = config;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::handle);
        router.route(PATH).method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
                .method(HttpMethod.DELETE).handler(this::methodNotAllowed);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String address = clientAddress.of(request);
        String lastEventId = request.getHeader("Last-Event-ID");
        context.vertx().executeBlocking(() -> authenticator.authenticate(authorization, address), false)
                .onSuccess(client -> open(context, client, lastEventId))
                .onFailure(failure -> refuse(context, failure));
    }

    private void open(RoutingContext context, RegisteredClient client, String lastEventId) {
        if (context.response().closed()) {
            return;
        }
        if (!feed.isReady()) {
            unavailable(context, "the revocation mirror has not read the stream yet; retry shortly");
            return;
        }
        FeedConnection connection = new FeedConnection(context.vertx(), context.response(), feed, mirror,
                client.id(), config.maxBuffer().asLongValue());
        switch (feed.admit(connection)) {
            case OPEN -> {
                connection.start(config.heartbeat(), config.maxConnection());
                feed.open(connection, lastEventId);
            }
            case NODE_FULL ->
                unavailable(context, "this node serves as many feed connections as it may; retry shortly");
            case CLIENT_FULL -> tooManyConnections(context, client.id());
        }
    }

    private void refuse(RoutingContext context, Throwable failure) {
        if (failure instanceof InvalidClientException invalid) {
            send(context, OAuthError.invalidClient(invalid).build());
        } else if (failure instanceof TooManyClientAttemptsException throttled) {
            send(context, OAuthError.tooManyClientAttempts(throttled).build());
        } else if (failure instanceof RevocationUnavailableException) {
            unavailable(context, "the client throttle store is unavailable; retry shortly");
        } else {
            Log.error("revocation feed request failed", failure);
            problem(context, Problem.of(Status.INTERNAL_SERVER_ERROR, "internal", "an unexpected error occurred"));
        }
    }

    private void unavailable(RoutingContext context, String detail) {
        context.response().putHeader("Retry-After", "1");
        problem(context, Problem.of(Status.SERVICE_UNAVAILABLE, "unavailable", detail));
    }

    private void tooManyConnections(RoutingContext context, String clientId) {
        context.response().putHeader("Retry-After", Long.toString(feed.retryAfterSeconds(clientId)));
        problem(context, Problem.of(Status.TOO_MANY_REQUESTS, "too-many-connections", "this client holds "
                + config.maxConnectionsPerClient() + " feed connections on this node already; close one or retry"));
    }

    /** The feed is read with GET only; other methods get the 405 every other path gives them. */
    private void methodNotAllowed(RoutingContext context) {
        context.response().putHeader("Allow", "GET");
        problem(context, Problem.of(Status.METHOD_NOT_ALLOWED, "method-not-allowed",
                Status.METHOD_NOT_ALLOWED.getReasonPhrase()));
    }

    /** Writes an answer built as the OAuth endpoints build theirs, so a client is refused here exactly as there. */
    private void send(RoutingContext context, Response answer) {
        answer.getStringHeaders().forEach((name, values) -> context.response().putHeader(name, values));
        write(context, answer.getStatus(), answer.getMediaType().toString(), answer.getEntity());
    }

    private void problem(RoutingContext context, Problem problem) {
        write(context, problem.status(), Problem.MEDIA_TYPE, problem);
    }

    private void write(RoutingContext context, int status, String contentType, Object body) {
        try {
            context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                    .end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
