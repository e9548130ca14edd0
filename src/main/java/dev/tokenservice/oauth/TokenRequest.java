package dev.tokenservice.oauth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The form of {@code POST /oauth/token}, for the OpenAPI document (the endpoint reads the form itself). */
@Schema(name = "TokenRequest", description = "application/x-www-form-urlencoded; each parameter at most once")
public record TokenRequest(
        @Schema(name = "grant_type", required = true, enumeration = "client_credentials") String grantType,
        @Schema(description = "space-separated scopes, each configured for the client; default: all of them")
        String scope,
        @Schema(description = "one of the client's audiences; default: all of them") String audience) {
}
