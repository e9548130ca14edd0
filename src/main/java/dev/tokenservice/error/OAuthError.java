package dev.tokenservice.error;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.tokenservice.client.ClientAuthenticator;
import dev.tokenservice.client.InvalidClientException;
import dev.tokenservice.client.TooManyClientAttemptsException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 6749 §5.2 error: the body of every error on the OAuth endpoints, never cached. */
@RegisterForReflection
public record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {

    /** A failed client authentication: 401 with the Basic challenge, on every endpoint that authenticates clients. */
    public static Response.ResponseBuilder invalidClient(InvalidClientException e) {
        return new OAuthError("invalid_client", e.getMessage()).toResponse(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, ClientAuthenticator.CHALLENGE);
    }

    /** RFC 6749 §5.2 has no code for a throttled client; the status and Retry-After say what happened. */
    public static Response.ResponseBuilder tooManyClientAttempts(TooManyClientAttemptsException e) {
        return new OAuthError("invalid_client", e.getMessage()).toResponse(429)
                .header("Retry-After", Long.toString(e.retryAfterSeconds()));
    }

    public Response.ResponseBuilder toResponse(int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(this)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
    }
}
