package dev.tokenservice.token;

import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The refresh token; in browser mode it may be left out and is then read from its cookie. */
public record RefreshRequest(@JsonProperty("refresh_token") @Size(max = 8192) String refreshToken) {
}
