package dev.tokenservice.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.tokenservice.client.ClientConfig;
import dev.tokenservice.dpop.ProofVerifier;
import dev.tokenservice.token.TokenConfig;
import dev.tokenservice.web.PublicUrl;
import io.smallrye.common.annotation.NonBlocking;

/**
 * Authorization server metadata (RFC 8414), also at the OpenID Connect discovery path: only what exists. The
 * {@code issuer} is {@code auth.issuer}, the {@code iss} of every token. The endpoints are absolute URLs under
 * {@code auth.public-url}, or under the issuer when it is a URL; with neither, the service does not know its public
 * address and names them by their paths from its root, never by the request's {@code Host}, which anyone sets and a
 * shared cache in front would keep. The documents are the same for every request and cacheable like the JWKS.
 */
@Path("/.well-known")
@Produces(MediaType.APPLICATION_JSON)
public class DiscoveryResource {

    private static final List<String> BASIC = List.of("client_secret_basic");

    private final String issuer;
    private final String base;
    private final List<String> scopes;
    private final String cacheControl;

    public DiscoveryResource(TokenConfig tokens, ClientConfig clients, PublicUrl publicUrl) {
        this.issuer = tokens.issuer();
        this.base = publicUrl.base();
        TreeSet<String> configured = new TreeSet<>();
        clients.clients().values().forEach(client -> client.scopes().ifPresent(configured::addAll));
        this.scopes = List.copyOf(configured);
        this.cacheControl = "public, max-age=" + tokens.jwks().maxAge().toSeconds();
    }

    @GET
    @Path("/oauth-authorization-server")
    @NonBlocking
    @Operation(summary = "OAuth 2.0 authorization server metadata (RFC 8414)")
    @APIResponse(responseCode = "200", description = "issuer, jwks_uri, the token, revocation and introspection "
            + "endpoints, grant types, client authentication methods and the token signing algorithm",
            headers = @Header(name = HttpHeaders.CACHE_CONTROL, description = "public, max-age=<auth.jwks.max-age>"))
    public Response authorizationServer() {
        return cacheable(metadata());
    }

    @GET
    @Path("/openid-configuration")
    @NonBlocking
    @Operation(summary = "The same metadata at the OpenID Connect discovery path",
            description = "There is no authorization endpoint and no ID token: the OpenID fields are those that "
                    + "token validators read (the signing algorithm, the subject type).")
    @APIResponse(responseCode = "200", description = "The metadata, plus subject_types_supported",
            headers = @Header(name = HttpHeaders.CACHE_CONTROL, description = "public, max-age=<auth.jwks.max-age>"))
    public Response openidConfiguration() {
        Map<String, Object> metadata = metadata();
        metadata.put("subject_types_supported", List.of("public"));
        return cacheable(metadata);
    }

    private Response cacheable(Map<String, Object> metadata) {
        return Response.ok(metadata).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }

    private Map<String, Object> metadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("jwks_uri", base + "/.well-known/jwks.json");
        metadata.put("token_endpoint", base + "/oauth/token");
        metadata.put("revocation_endpoint", base + "/auth/revoke");
        metadata.put("introspection_endpoint", base + "/oauth/introspect");
        metadata.put("grant_types_supported", List.of("client_credentials"));
        metadata.put("response_types_supported", List.of());
        metadata.put("token_endpoint_auth_methods_supported", BASIC);
        metadata.put("introspection_endpoint_auth_methods_supported", BASIC);
        metadata.put("revocation_endpoint_auth_methods_supported", List.of("none"));
        // the algorithm of the access tokens: validators (go-oidc, Microsoft.IdentityModel) read it from this field
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256"));
        metadata.put("dpop_signing_alg_values_supported", ProofVerifier.ALGORITHMS);
        if (!scopes.isEmpty()) {
            metadata.put("scopes_supported", scopes);
        }
        return metadata;
    }
}
