package dev.tokenservice.event;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.session.SessionOrigin;
import dev.tokenservice.web.ClientAddress;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The address (as login throttling counts it) and the User-Agent (cut as a session's is) of the HTTP request being
 * served; nothing on a thread that serves none, such as a scheduled key rotation.
 */
@ApplicationScoped
public class RequestOrigin {

    private final CurrentVertxRequest current;
    private final ClientAddress clientAddress;

    public RequestOrigin(CurrentVertxRequest current, ClientAddress clientAddress) {
        this.current = current;
        this.clientAddress = clientAddress;
    }

    /** The request being served, or null. */
    private HttpServerRequest request() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext context = current.getCurrent();
        return context == null ? null : context.request();
    }

    /** Fills in the address and User-Agent the event does not name from the request being served, if any. */
    NewSecurityEvent complete(NewSecurityEvent event) {
        if (event.address() != null && event.userAgent() != null) {
            return event;
        }
        HttpServerRequest request = request();
        if (request == null) {
            return event;
        }
        return event.from(event.address() != null ? event.address() : clientAddress.of(request),
                event.userAgent() != null ? event.userAgent() : SessionOrigin.device(request.getHeader("User-Agent")));
    }
}
