package dev.example.orders.dpop;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Runs after smallrye-jwt has verified the token (signature, iss, aud, exp): a token with
 * {@code cnf} is let through only as {@code Authorization: DPoP} with a valid proof of this
 * request by the bound key, and never as Bearer.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class DpopFilter implements ContainerRequestFilter {

    @Inject
    SecurityIdentity identity;

    @Inject
    DpopProofChecker checker;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getRawToken() == null) {
            return; // anonymous: @Authenticated refuses it where a token is required
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean dpopScheme = authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith("dpop ");
        Object cnf = jwt.getClaim("cnf");
        String jkt = jkt(cnf);
        try {
            checker.check(request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(), dpopScheme,
                    jwt.getRawToken(), cnf != null, jkt, request.getHeaders().get("DPoP"));
        } catch (DpopException e) {
            Response.ResponseBuilder response = Response.status(e.status()).type("application/problem+json")
                    .entity(problem(e.status(), e.getMessage()));
            if (e.status() == 401) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, DpopProofChecker.challenge(e.error(), e.getMessage()));
            } else {
                response.header("Retry-After", "1");
            }
            request.abortWith(response.build());
        }
    }

    // smallrye-jwt gives cnf as a JsonObject or, depending on how it was read, as jose4j's Map
    private static String jkt(Object cnf) {
        Object jkt = cnf instanceof JsonObject object ? object.get("jkt") : cnf instanceof Map<?, ?> map ? map.get("jkt") : null;
        return jkt instanceof JsonString value ? value.getString() : jkt instanceof String value ? value : null;
    }

    // the details are the checker's own fixed strings: no JSON escaping needed beyond quotes
    private static String problem(int status, String detail) {
        String title = status == 401 ? "Unauthorized" : "Service Unavailable";
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }
}
