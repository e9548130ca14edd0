package dev.tokenservice.account;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.tokenservice.event.RevokeReason;
import dev.tokenservice.session.SessionIds;
import dev.tokenservice.session.SessionListResponse;
import dev.tokenservice.session.UserSessionService;
import dev.tokenservice.token.TokenService;

@Path("/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AccountService.ROLE_ADMIN)
@SecurityRequirement(name = "bearer")
public class AdminUserResource {

    private final AccountService accounts;
    private final TokenService tokens;
    private final UserSessionService sessions;

    public AdminUserResource(AccountService accounts, TokenService tokens, UserSessionService sessions) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
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
        tokens.revokeUser(accounts.idOf(username), RevokeReason.ADMIN);
    }

    @GET
    @Path("/{username}/sessions")
    @Operation(summary = "A user's live sessions, newest first (at most 100)")
    @APIResponse(responseCode = "200", description = "The sessions; none is marked current")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such user")
    public SessionListResponse sessions(@PathParam("username") String username) {
        return sessions.list(accounts.idOf(username), null);
    }

    @DELETE
    @Path("/{username}/sessions/{id}")
    @Operation(summary = "End one session of a user, on every node, as a logout of it would")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such user, or no live session of the user has this id")
    @APIResponse(responseCode = "503", description = "A store is unavailable; nothing was ended, retry")
    public void endSession(@PathParam("username") String username, @PathParam("id") String id) {
        sessions.end(accounts.idOf(username), SessionIds.parse(id), RevokeReason.ADMIN);
    }
}
