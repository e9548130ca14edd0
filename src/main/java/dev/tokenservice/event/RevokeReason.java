package dev.tokenservice.event;

import java.util.Locale;

/** Why sessions were revoked: the {@code reason} of a {@code session.revoked} event. */
public enum RevokeReason {

    LOGOUT,
    LOGOUT_ALL,
    USER,
    ADMIN,
    PASSWORD_CHANGE,
    REFRESH_REUSE,
    RFC7009;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
