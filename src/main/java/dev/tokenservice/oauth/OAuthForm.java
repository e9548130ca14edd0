package dev.tokenservice.oauth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The parameters of a form-encoded OAuth request: each at most once (RFC 6749 §3.2), and one sent without a value
 * is as if it were left out (§3.1).
 */
record OAuthForm(Map<String, String> values) {

    static OAuthForm of(MultivaluedMap<String, String> form) {
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            List<String> given = parameter.getValue().stream().filter(value -> !value.isEmpty()).toList();
            if (given.size() > 1) {
                throw OAuthRequestException.invalidRequest(parameter.getKey() + " is given more than once");
            }
            if (given.size() == 1) {
                values.put(parameter.getKey(), given.get(0));
            }
        }
        return new OAuthForm(Map.copyOf(values));
    }

    Optional<String> get(String name) {
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
