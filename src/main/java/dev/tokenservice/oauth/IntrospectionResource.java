package dev.tokenservice.oauth;

import java.util.Optional;

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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;

/** RFC 7662 token introspection, for confidential clients such as an API gateway. */
@Path("/oauth/introspect")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "client")
public class IntrospectionResource {

    private final ClientForms forms;
    private final Introspection introspection;

    public IntrospectionResource(ClientForms forms, Introspection introspection) {
        this.forms = forms;
        this.introspection = introspection;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Whether an access token is active, and its claims (RFC 7662)",
            description = "Answered from this node's verified-token cache and revocation mirror, without a Redis "
                    + "call. Revoked, expired, malformed, foreign and refresh tokens all get {\"active\":false}.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = IntrospectionRequest.class)))
    @APIResponse(responseCode = "200", description = "{\"active\":true, token_type, iss, sub, client_id, aud, iat, "
            + "exp, jti, username (a user's token), scope (when granted)} or {\"active\":false}")
    @APIResponse(responseCode = "400", description = "invalid_request: no token, or a parameter given twice")
    @APIResponse(responseCode = "401", description = "invalid_client, with WWW-Authenticate: Basic")
    @APIResponse(responseCode = "429", description = "Too many failed authentications of this client or from "
            + "this address; see Retry-After")
    @APIResponse(responseCode = "503", description = "This node's revocation mirror is not current; retry")
    public Uni<Response> introspect(String body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest http) {
        // the common case on the event loop: a gateway's remembered credentials, an active token, a current mirror
        Optional<String> fromMemory = forms.readRemembered(body, authorization, http)
                .flatMap(request -> introspection.introspectFromMemory(request.form().required("token")));
        if (fromMemory.isPresent()) {
            return Uni.createFrom().item(ClientForms.noStore(fromMemory.get()).build());
        }
        return Uni.createFrom().item(() -> {
            OAuthForm form = forms.read(body, authorization, http).form();
            return ClientForms.noStore(introspection.introspect(form.required("token"))).build();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** RFC 7662 §2.1: the parameters are form-encoded. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response notAForm(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
        forms.authenticate(authorization, http);
        throw OAuthRequestException.invalidRequest("the body must be application/x-www-form-urlencoded");
    }
}
