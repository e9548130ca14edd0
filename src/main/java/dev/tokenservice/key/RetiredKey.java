package dev.tokenservice.key;

import java.time.Instant;

/** A key retired at once: every token it signed is refused; the last of them expires at {@code lastTokenExpiry}. */
public record RetiredKey(String kid, Instant retiredAt, Instant lastTokenExpiry) {
}
