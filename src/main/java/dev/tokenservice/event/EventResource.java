package dev.tokenservice.event;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.tokenservice.token.UserClaims;
import io.quarkus.security.Authenticated;

@Path("/auth/events")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
public class EventResource {

    /** The most events a user's own list shows (the newest). */
    static final int MAX_OWN = 50;

    private final SecurityEventLog log;
    private final JsonWebToken token;

    public EventResource(SecurityEventLog log, JsonWebToken token) {
        this.log = log;
        this.token = token;
    }

    @GET
    @Operation(summary = "The caller's own recent security events, newest first (at most 50)")
    @APIResponse(responseCode = "200", description = "The events")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "A client's own token, which acts for no user")
    public EventListResponse list() {
        return new EventListResponse(log.recentOf(UserClaims.userId(token), MAX_OWN).stream()
                .map(EventResponse::of)
                .toList());
    }
}
