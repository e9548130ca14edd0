package dev.tokenservice.oauth;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.tokenservice.dpop.Dpop;
import dev.tokenservice.dpop.DpopProof;
import dev.tokenservice.token.ClientToken;
import io.vertx.core.http.HttpServerRequest;

/** The OAuth 2.0 token endpoint, for machine clients: {@code client_credentials} only. */
@Path("/oauth/token")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "client")
public class OAuthTokenResource {

    private final ClientForms forms;
    private final ClientCredentialsGrant grant;

    private final Dpop dpop;

    public OAuthTokenResource(ClientForms forms, ClientCredentialsGrant grant, Dpop dpop) {
        this.forms = forms;
        this.grant = grant;
        this.dpop = dpop;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "A confidential client's own access token (client_credentials, RFC 6749 §4.4)",
            description = "The client authenticates by HTTP Basic (client_secret_basic). The token's sub and "
                    + "client_id are the client; there is no refresh token. Users log in at /auth/login instead. "
                    + "A DPoP proof header (RFC 9449) binds the token to the proof's key: cnf.jkt, token_type DPoP.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = TokenRequest.class)))
    @Parameter(name = Dpop.HEADER, in = ParameterIn.HEADER, description = "A DPoP proof (RFC 9449): binds the token "
            + "to the proof's key (token_type DPoP, cnf.jkt)")
    @APIResponse(responseCode = "200", description = "The access token",
            content = @Content(schema = @Schema(implementation = ClientToken.class)))
    @APIResponse(responseCode = "400", description = "invalid_request, unsupported_grant_type (anything but "
            + "client_credentials), unauthorized_client, invalid_scope, invalid_dpop_proof or use_dpop_nonce "
            + "(with DPoP-Nonce)")
    @APIResponse(responseCode = "401", description = "invalid_client, with WWW-Authenticate: Basic")
    @APIResponse(responseCode = "429", description = "Too many failed authentications of this client or from "
            + "this address; see Retry-After")
    @APIResponse(responseCode = "503", description = "A store is unavailable; retry")
    public Response token(String body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest http) {
        ClientForms.ClientForm request = forms.read(body, authorization, http);
        OAuthForm form = request.form();
        String jkt = dpop.atTokenEndpoint(http).map(DpopProof::jkt).orElse(null);
        Response.ResponseBuilder response = ClientForms.noStore(grant.issue(request.client(), form.required("grant_type"),
                form.get("scope"), form.get("audience"), jkt));
        dpop.nonce().ifPresent(nonce -> response.header(Dpop.NONCE_HEADER, nonce));
        return response.build();
    }

    /** RFC 6749 §3.2: the token endpoint takes form-encoded parameters only. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response notAForm(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
        forms.authenticate(authorization, http);
        throw OAuthRequestException.invalidRequest("the body must be application/x-www-form-urlencoded");
    }
}
