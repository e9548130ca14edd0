package dev.tokenservice.token;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

/** Prometheus counters: tokens issued, refreshed, revoked and rejected (by reason). */
@ApplicationScoped
public class TokenMetrics {

    private final MeterRegistry registry;

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void issued(String grant) {
        registry.counter("tokens.issued", "grant", grant).increment();
    }

    public void refreshed() {
        registry.counter("tokens.refreshed").increment();
    }

    public void revoked(String scope, int count) {
        registry.counter("tokens.revoked", "scope", scope).increment(count);
    }

    public void rejected(String reason) {
        registry.counter("tokens.rejected", "reason", reason).increment();
    }
}
