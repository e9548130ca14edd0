package dev.tokenservice.event;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of security event, by the names the API and the {@code type} column use. */
public enum SecurityEventType {

    LOGIN_SUCCEEDED("login.succeeded"),
    LOGIN_FAILED("login.failed"),
    LOGIN_THROTTLED("login.throttled"),
    ACCOUNT_REGISTERED("account.registered"),
    PASSWORD_CHANGED("password.changed"),
    SESSION_REVOKED("session.revoked"),
    TOKEN_REVOKED("token.revoked"),
    REFRESH_REUSE_DETECTED("refresh.reuse_detected"),
    KEY_ROTATED("key.rotated"),
    KEY_RETIRED("key.retired"),
    CLIENT_THROTTLED("client.throttled");

    private final String wire;

    SecurityEventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<SecurityEventType> of(String wire) {
        return Arrays.stream(values()).filter(type -> type.wire.equals(wire)).findFirst();
    }
}
