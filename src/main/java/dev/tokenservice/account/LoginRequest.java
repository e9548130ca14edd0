package dev.tokenservice.account;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A username and password, and optionally the public client logging the user in (else the default client). */
public record LoginRequest(
        @NotNull @Size(max = 256) String username,
        @NotNull @Size(max = 1024) String password,
        @JsonProperty("client_id") @Size(max = 128) String clientId) {
}
