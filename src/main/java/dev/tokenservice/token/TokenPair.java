package dev.tokenservice.token;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An access token and its refresh token, with lifetimes in seconds. */
public record TokenPair(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("refresh_expires_in") long refreshExpiresIn) {
}
