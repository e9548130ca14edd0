package dev.tokenservice.token;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

public record RefreshRequest(@JsonProperty("refresh_token") @NotNull @Size(max = 8192) String refreshToken) {
}
