package dev.tokenservice.token;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of a browser-mode login or refresh: the tokens themselves travel only in HttpOnly cookies. */
@RegisterForReflection
public record CookieSession(
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_expires_in") long refreshExpiresIn) {

    static CookieSession of(TokenPair pair) {
        return new CookieSession("cookie", pair.expiresIn(), pair.refreshExpiresIn());
    }
}
