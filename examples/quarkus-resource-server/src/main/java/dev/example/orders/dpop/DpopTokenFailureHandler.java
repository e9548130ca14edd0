package dev.example.orders.dpop;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * smallrye-jwt answers a token it cannot verify with {@code WWW-Authenticate: Bearer}; a token sent
 * with the DPoP scheme gets the DPoP challenge instead (RFC 9449 §7.1), with a problem+json body.
 */
@ApplicationScoped
public class DpopTokenFailureHandler {

    void install(@Observes Router router) {
        router.route().order(-1).failureHandler(event -> {
            String authorization = event.request().getHeader("Authorization");
            if (event.failure() instanceof AuthenticationFailedException && authorization != null
                    && authorization.toLowerCase(Locale.ROOT).startsWith("dpop ") && !event.response().headWritten()) {
                String detail = "the token is invalid";
                event.response().setStatusCode(401)
                        .putHeader("WWW-Authenticate", DpopProofChecker.challenge(DpopProofChecker.INVALID_TOKEN, detail))
                        .putHeader("Content-Type", "application/problem+json")
                        .end("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail + "\"}");
            } else {
                event.next();
            }
        });
    }
}
