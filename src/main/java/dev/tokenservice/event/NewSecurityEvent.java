package dev.tokenservice.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An event about to be written: its type and what it concerns, as far as the caller knows it. The writer fills in
 * the rest where it can: the user and client of {@code sessionId}, the account of {@code userId} or of
 * {@code canonicalUsername}, and the address and User-Agent of the current HTTP request.
 */
public record NewSecurityEvent(SecurityEventType type, UUID userId, String username, String canonicalUsername,
        UUID sessionId, String clientId, String address, String userAgent, Map<String, Object> detail) {

    /** Entries a detail may hold; it is meant for a few short values. */
    static final int MAX_DETAIL_ENTRIES = 8;
    /** Longest string a detail value keeps. */
    static final int MAX_DETAIL_STRING = 128;

    public static NewSecurityEvent of(SecurityEventType type) {
        return new NewSecurityEvent(type, null, null, null, null, null, null, null, Map.of());
    }

    /** A {@code session.revoked} event with its reason. */
    public static NewSecurityEvent sessionRevoked(RevokeReason reason) {
        return of(SecurityEventType.SESSION_REVOKED).with("reason", reason.wire());
    }

    public NewSecurityEvent user(UUID id, String name) {
        return new NewSecurityEvent(type, id, name, canonicalUsername, sessionId, clientId, address, userAgent,
                detail);
    }

    public NewSecurityEvent user(UUID id) {
        return user(id, username);
    }

    /**
     * The account of this canonical username, if one exists. Only an existing account's name is written: a name
     * no account has may be a password typed into the wrong field.
     */
    public NewSecurityEvent accountNamed(String canonical) {
        return new NewSecurityEvent(type, userId, username, canonical, sessionId, clientId, address, userAgent,
                detail);
    }

    public NewSecurityEvent session(UUID id) {
        return new NewSecurityEvent(type, userId, username, canonicalUsername, id, clientId, address, userAgent,
                detail);
    }

    public NewSecurityEvent client(String id) {
        return new NewSecurityEvent(type, userId, username, canonicalUsername, sessionId, id, address, userAgent,
                detail);
    }

    /** Where the request came from, when the caller knows it better than the current request does. */
    public NewSecurityEvent from(String clientAddress, String agent) {
        return new NewSecurityEvent(type, userId, username, canonicalUsername, sessionId, clientId, clientAddress,
                agent, detail);
    }

    /** Adds a detail value: a short string, a number or a boolean. */
    public NewSecurityEvent with(String key, Object value) {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException("a detail value is a string, a number or a boolean: " + key);
        }
        if (detail.size() >= MAX_DETAIL_ENTRIES && !detail.containsKey(key)) {
            throw new IllegalArgumentException("a detail holds at most " + MAX_DETAIL_ENTRIES + " values");
        }
        Map<String, Object> more = new LinkedHashMap<>(detail);
        more.put(key, value instanceof String text && text.length() > MAX_DETAIL_STRING
                ? text.substring(0, MAX_DETAIL_STRING) : value);
        return new NewSecurityEvent(type, userId, username, canonicalUsername, sessionId, clientId, address,
                userAgent, Collections.unmodifiableMap(more));
    }
}
