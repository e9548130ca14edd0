package dev.tokenservice.account;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record RegisterRequest(
        @NotNull @Size(max = 256) String username,
        @NotNull @Size(min = 8, max = 1024) String password) {
}
