package dev.tokenservice.event;

/**
 * Fired synchronously (CDI {@code Event.fire}) right after an event row is inserted, inside the transaction that
 * inserted it: an observer that writes to PostgreSQL (the webhook outbox) commits or rolls back with the event and
 * the change it records.
 */
public record SecurityEventWritten(SecurityEvent event) {
}
