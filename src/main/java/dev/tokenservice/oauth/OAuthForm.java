package dev.tokenservice.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a form-encoded OAuth request: each at most once (RFC 6749 §3.2), and one sent without a value
 * is as if it were left out (§3.1).
 */
public record OAuthForm(Map<String, String> values) {

    /**
     * Parses the body here rather than through the framework's form reader, which fails with a server error on a
     * malformed escape or an empty parameter name.
     */
    public static OAuthForm parse(String body) {
        Map<String, List<String>> parameters = new HashMap<>();
        for (String pair : body == null ? new String[0] : body.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!name.isEmpty() && !value.isEmpty()) {
                parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        Map<String, String> values = new HashMap<>();
        parameters.forEach((name, given) -> {
            if (given.size() > 1) {
                throw OAuthRequestException.invalidRequest(name + " is given more than once");
            }
            values.put(name, given.get(0));
        });
        return new OAuthForm(Map.copyOf(values));
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthRequestException.invalidRequest("the body is not valid application/x-www-form-urlencoded");
        }
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String required(String name) {
        return get(name).orElseThrow(() -> OAuthRequestException.invalidRequest(name + " is required"));
    }

    /** Only {@code client_secret_basic} authenticates a client here: a secret in the body is refused, not ignored. */
    void refuseSecretInBody() {
        if (values.containsKey("client_secret")) {
            throw OAuthRequestException.invalidRequest("send client credentials by HTTP Basic, not in the body");
        }
    }

    /** A {@code client_id} in the body, which RFC 6749 §2.3.1 tolerates, must be the authenticated client's. */
    void checkClientId(String authenticatedId) {
        get("client_id").filter(id -> !id.equals(authenticatedId)).ifPresent(id -> {
            throw OAuthRequestException.invalidRequest("client_id is not the authenticated client");
        });
    }
}
