package dev.tokenservice.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 6749 §5.2 error: the body of every error on the OAuth endpoints, never cached. */
@RegisterForReflection
public record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {

    public Response.ResponseBuilder toResponse(int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(this)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
    }
}
