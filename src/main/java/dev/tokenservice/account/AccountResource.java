package dev.tokenservice.account;


import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.ResponseStatus;

import dev.tokenservice.token.TokenService;
import dev.tokenservice.token.UserClaims;
import dev.tokenservice.web.ClientAddress;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final TokenService tokens;
    private final JsonWebToken token;
    private final ClientAddress clientAddress;

    public AccountResource(AccountService accounts, TokenService tokens, JsonWebToken token,
            ClientAddress clientAddress) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.token = token;
        this.clientAddress = clientAddress;
    }

    @POST
    @Path("/register")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(summary = "Create an account with the role user")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid input")
    @APIResponse(responseCode = "409", description = "Username taken (compared after NFKC and lower-casing)")
    @APIResponse(responseCode = "503", description = "The node's password-hashing capacity is exhausted; retry")
    public AccountResponse register(@Valid @NotNull RegisterRequest request) {
        return accounts.register(request);
    }

    @GET
    @Path("/me")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The account the access token belongs to")
    @APIResponse(responseCode = "200", description = "The account")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "A client's own token, which acts for no user")
    public AccountResponse me() {
        return accounts.find(UserClaims.userId(token));
    }

    @POST
    @Path("/password")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Change the password; every session of the user is revoked")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "400", description = "Invalid input")
    @APIResponse(responseCode = "401", description = "No valid access token, or a wrong current password "
            + "(then a plain Bearer challenge: the token is fine)")
    @APIResponse(responseCode = "403", description = "A client's own token, which acts for no user")
    @APIResponse(responseCode = "429", description = "Too many wrong passwords for this user or address; see Retry-After")
    @APIResponse(responseCode = "503", description = "A store or the password-hashing capacity is unavailable; "
            + "nothing was changed, retry")
    public void changePassword(@Valid @NotNull PasswordChangeRequest request, @Context HttpServerRequest http) {
        tokens.changePassword(UserClaims.userId(token), request, clientAddress.of(http));
    }
}
