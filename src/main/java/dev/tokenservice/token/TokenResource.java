package dev.tokenservice.token;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.tokenservice.account.LoginRequest;
import io.quarkus.security.Authenticated;

@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final TokenService tokens;
    private final JsonWebToken token;

    public TokenResource(TokenService tokens, JsonWebToken token) {
        this.tokens = tokens;
        this.token = token;
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange a username and password for a token pair")
    @APIResponse(responseCode = "200", description = "Token pair")
    @APIResponse(responseCode = "400", description = "Invalid input")
    @APIResponse(responseCode = "401", description = "Bad credentials (same answer for unknown users)")
    public Response login(@Valid @NotNull LoginRequest request) {
        return noStore(tokens.login(request));
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Spend a refresh token for a new token pair (rotation)")
    @APIResponse(responseCode = "200", description = "New token pair; the presented refresh token is spent")
    @APIResponse(responseCode = "400", description = "Invalid input")
    @APIResponse(responseCode = "401", description = "Expired, revoked, spent or not a refresh token")
    @APIResponse(responseCode = "503", description = "The session store is unavailable; retry")
    public Response refresh(@Valid @NotNull RefreshRequest request) {
        return noStore(tokens.refresh(request.refreshToken()));
    }

    @POST
    @Path("/logout")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Revoke this access token and its session")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "401", description = "No valid access token")
    public void logout() {
        tokens.logout(token);
    }

    @POST
    @Path("/logout-all")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Revoke every token of this user issued up to now, on every node")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "401", description = "No valid access token")
    public void logoutAll() {
        tokens.revokeUser(UUID.fromString(token.getSubject()));
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "RFC 7009 revocation of an access or refresh token")
    @APIResponse(responseCode = "200", description = "Whether or not the token was valid")
    @APIResponse(responseCode = "400", description = "Missing token field")
    public Response revoke(@Valid @NotNull RevokeRequest request) {
        tokens.revoke(request.token());
        return Response.ok(Map.of()).build();
    }

    static Response noStore(TokenPair pair) {
        return Response.ok(pair).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}
