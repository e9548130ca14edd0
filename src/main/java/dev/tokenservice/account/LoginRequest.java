package dev.tokenservice.account;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record LoginRequest(
        @NotNull @Size(max = 256) String username,
        @NotNull @Size(max = 1024) String password) {
}
