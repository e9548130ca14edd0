package dev.tokenservice.token;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** RFC 7009: an access or a refresh token to revoke. */
public record RevokeRequest(@NotNull @Size(max = MAX_TOKEN) String token) {

    static final int MAX_TOKEN = 16384;
}
