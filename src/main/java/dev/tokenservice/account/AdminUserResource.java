package dev.tokenservice.account;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.tokenservice.token.TokenService;

@Path("/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AccountService.ROLE_ADMIN)
@SecurityRequirement(name = "bearer")
public class AdminUserResource {

    private final AccountService accounts;
    private final TokenService tokens;

    public AdminUserResource(AccountService accounts, TokenService tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    @POST
    @Path("/{username}/revoke")
    @Operation(summary = "Revoke every token of a user")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such user")
    @APIResponse(responseCode = "503", description = "A store is unavailable; nothing was revoked, retry")
    public void revoke(@PathParam("username") String username) {
        tokens.revokeUser(accounts.idOf(username));
    }
}
