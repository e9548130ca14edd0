package dev.tokenservice.session;

import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.tokenservice.event.RevokeReason;
import dev.tokenservice.token.UserClaims;
import dev.tokenservice.web.TokenCookies;
import io.quarkus.security.Authenticated;

@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
public class SessionResource {

    private final UserSessionService sessions;
    private final JsonWebToken token;

    public SessionResource(UserSessionService sessions, JsonWebToken token) {
        this.sessions = sessions;
        this.token = token;
    }

    @GET
    @Path("/sessions")
    @Operation(summary = "The caller's live sessions, newest first (at most 100)")
    @APIResponse(responseCode = "200", description = "The sessions; the caller's own is marked current")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "A client's own token, which acts for no user")
    public SessionListResponse list() {
        return sessions.list(UserClaims.userId(token), UserClaims.sessionId(token));
    }

    @DELETE
    @Path("/sessions/{id}")
    @Operation(summary = "End one of the caller's sessions, on every node, as a logout of it would",
            description = "Ending the caller's own session is a logout: the browser-mode cookies are cleared too.")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "A client's own token, or cookie mode without the matching "
            + "X-CSRF-Token")
    @APIResponse(responseCode = "404", description = "No live session of the caller has this id")
    @APIResponse(responseCode = "503", description = "A store is unavailable; nothing was ended, retry")
    public Response end(@PathParam("id") String id) {
        UUID sessionId = SessionIds.parse(id);
        UUID current = UserClaims.sessionId(token);
        sessions.end(UserClaims.userId(token), sessionId, RevokeReason.USER);
        Response.ResponseBuilder response = Response.noContent();
        if (sessionId.equals(current)) {
            TokenCookies.clear().forEach(cookie -> response.header("Set-Cookie", cookie));
        }
        return response.build();
    }

    @POST
    @Path("/sessions/revoke-others")
    @Operation(summary = "End every session of the caller but the current one, on every node")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "A client's own token, or cookie mode without the matching "
            + "X-CSRF-Token")
    @APIResponse(responseCode = "503", description = "A store is unavailable; nothing was ended, retry")
    public void endOthers() {
        sessions.endAllBut(UserClaims.userId(token), UserClaims.sessionId(token));
    }
}
