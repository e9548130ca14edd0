package dev.tokenservice.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One entry of the security event log: what happened to an account, a session, a client or a key. {@code seq} orders
 * events as they were written (and is the cursor of the admin listing); {@code id} names the event to the outside
 * (webhook deliveries carry it). Fields that do not apply are null; {@code detail} holds a few type-specific values,
 * never a token, a password or a hash.
 */
public record SecurityEvent(long seq, UUID id, Instant time, String type, UUID userId, String username,
        UUID sessionId, String clientId, String address, String userAgent, Map<String, Object> detail) {
}
