package dev.tokenservice.oauth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The form of {@code POST /oauth/introspect} (RFC 7662 §2.1), for the OpenAPI document. */
@Schema(name = "IntrospectionRequest", description = "application/x-www-form-urlencoded; each parameter at most once")
public record IntrospectionRequest(
        @Schema(required = true, description = "an access token") String token,
        @Schema(name = "token_type_hint", description = "accepted and ignored") String tokenTypeHint) {
}
