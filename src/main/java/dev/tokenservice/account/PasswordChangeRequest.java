package dev.tokenservice.account;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

public record PasswordChangeRequest(
        @JsonProperty("current_password") @NotNull @Size(max = 1024) String currentPassword,
        @JsonProperty("new_password") @NotNull @Size(min = 8, max = 1024) String newPassword) {
}
