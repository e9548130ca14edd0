package dev.tokenservice.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A client's own access token (client_credentials): no refresh token; the granted scopes, space-separated. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientToken(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("scope") String scope) {
}
