package dev.tokenservice.error;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem document: the body of every error this service returns. {@code error} is an extension member
 * for DPoP refusals, RFC 9449's error code ({@code invalid_dpop_proof}, {@code use_dpop_nonce}, {@code invalid_token});
 * absent otherwise.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String error) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_PREFIX = "urn:token-service:problem:";

    public static Problem of(Response.StatusType status, String slug, String detail) {
        return new Problem(TYPE_PREFIX + slug, status.getReasonPhrase(), status.getStatusCode(), detail, null);
    }

    public Problem withError(String code) {
        return new Problem(type, title, status, detail, code);
    }

    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }
}
