package dev.tokenservice.feed;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.tokenservice.key.RetiredKey;
import dev.tokenservice.revocation.RevocationEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One live revocation as consumers see it: a token ({@code jti}), a session ({@code sid}), a user's cut-off
 * ({@code sub}, {@code iat_before}) or a retired key ({@code kid}), and {@code exp}, when it stops mattering.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "jti", "sid", "sub", "kid", "iat_before", "exp" })
public record Revocation(String type, UUID jti, UUID sid, UUID sub, String kid,
        @JsonProperty("iat_before") Long iatBefore, long exp) {

    /** The revocation a stream entry carries, or null for an entry that is none (a key change). */
    static Revocation of(RevocationEvent event) {
        return switch (event.kind()) {
            case RevocationEvent.TOKEN -> new Revocation("token", event.subject(), null, null, null, null, event.until());
            case RevocationEvent.SESSION ->
                new Revocation("session", null, event.subject(), null, null, null, event.until());
            case RevocationEvent.USER ->
                new Revocation("user", null, null, event.subject(), null, event.before(), event.until());
            default -> null;
        };
    }

    static Revocation of(RetiredKey key) {
        return new Revocation("key", null, null, null, key.kid(), null, key.lastTokenExpiry().getEpochSecond());
    }
}
