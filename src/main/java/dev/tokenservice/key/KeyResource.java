package dev.tokenservice.key;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "bearer")
public class KeyResource {

    private final KeyService keys;

    public KeyResource(KeyService keys) {
        this.keys = keys;
    }

    @POST
    @Path("/rotate")
    @ResponseStatus(201)
    @Operation(summary = "Rotate the signing key on every node",
            description = "New tokens are signed with the new key. Older tokens keep verifying until they expire, "
                    + "and the JWKS lists the old key until then; with retire=now the old keys are dropped at once "
                    + "and every token they signed is refused.")
    @APIResponse(responseCode = "201", description = "The new key's kid")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public RotatedKey rotate(@Parameter(description = "'now' to retire the previous keys at once")
            @QueryParam("retire") String retire) {
        if (retire != null && !"now".equals(retire)) {
            throw new BadRequestException("retire must be 'now' or absent");
        }
        return new RotatedKey(keys.rotate(retire != null));
    }

    public record RotatedKey(String kid) {
    }
}
