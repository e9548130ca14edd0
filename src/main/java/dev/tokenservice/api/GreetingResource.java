package dev.tokenservice.api;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.NonBlocking;

/** Protected resources that show what a token grants. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
public class GreetingResource {

    @GET
    @Path("/greeting")
    @Authenticated
    @NonBlocking
    @Operation(summary = "Greets the token's user (or, for a client's own token, the client)")
    @APIResponse(responseCode = "200", description = "The greeting")
    @APIResponse(responseCode = "401", description = "No valid access token")
    public Message greeting(@Context SecurityContext security) {
        JsonWebToken token = (JsonWebToken) security.getUserPrincipal();
        String username = token.getClaim("preferred_username");
        return new Message("Hey " + (username != null ? username : token.getClaim("client_id")));
    }

    @GET
    @Path("/ping")
    @PermitAll
    @NonBlocking
    @Operation(summary = "Answers anyone: the unauthenticated baseline the benchmarks compare the greeting with")
    @APIResponse(responseCode = "200", description = "pong")
    public Message ping() {
        return new Message("pong");
    }

    @GET
    @Path("/admin/ping")
    @RolesAllowed("admin")
    @NonBlocking
    @Operation(summary = "Answers admins only")
    @APIResponse(responseCode = "200", description = "pong")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public Message adminPing() {
        return new Message("pong");
    }

    public record Message(String message) {
    }
}
