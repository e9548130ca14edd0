package dev.tokenservice.token;

import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The refresh token (in browser mode it may be left out and is then read from its cookie) and optionally the
 * public client the session was opened for.
 */
public record RefreshRequest(@JsonProperty("refresh_token") @Size(max = 8192) String refreshToken,
        @JsonProperty("client_id") @Size(max = 128) String clientId) {
}
