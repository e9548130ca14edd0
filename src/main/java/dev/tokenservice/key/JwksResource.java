package dev.tokenservice.key;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import dev.tokenservice.token.TokenConfig;

@Path("/.well-known/jwks.json")
public class JwksResource {

    private final SigningKeys keys;
    private final String cacheControl;

    public JwksResource(SigningKeys keys, TokenConfig config) {
        this.keys = keys;
        this.cacheControl = "public, max-age=" + config.jwks().maxAge().toSeconds();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "JWK Set of every public key that may have signed a live token, and of the next key",
            description = "Consumers may cache it for the max-age of its Cache-Control (auth.jwks.max-age). A key is "
                    + "published here at least auth.signing-key.pre-publication (by default that max-age) before it "
                    + "signs, when rotations are that far apart. A key retired at once leaves the set immediately; "
                    + "consumers learn of it from the revocation feed (a key event), not from their cached copy.")
    @APIResponse(responseCode = "200", description = "The JWK Set",
            headers = @Header(name = HttpHeaders.CACHE_CONTROL, description = "public, max-age=<auth.jwks.max-age in seconds>"))
    public RestResponse<Map<String, Object>> jwks() {
        return RestResponse.ResponseBuilder.ok(keys.jwks()).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }
}
