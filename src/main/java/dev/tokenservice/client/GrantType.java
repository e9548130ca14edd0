package dev.tokenservice.client;

import java.util.Arrays;
import java.util.Optional;

/** The grant types this service implements, by their RFC 6749 names. */
public enum GrantType {
    PASSWORD("password"),
    REFRESH_TOKEN("refresh_token"),
    CLIENT_CREDENTIALS("client_credentials");

    private final String value;

    GrantType(String value) {
        this.value = value;
    }

    /** The name on the wire and in configuration. */
    public String value() {
        return value;
    }

    public static Optional<GrantType> of(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }
}
