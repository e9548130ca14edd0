package dev.tokenservice.token;

import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.account.LoginRequest;
import dev.tokenservice.dpop.Dpop;
import dev.tokenservice.event.RevokeReason;
import dev.tokenservice.dpop.DpopException;
import dev.tokenservice.dpop.DpopProof;
import dev.tokenservice.oauth.OAuthForm;
import dev.tokenservice.oauth.OAuthRequestException;
import dev.tokenservice.web.ClientAddress;
import dev.tokenservice.web.Csrf;
import dev.tokenservice.web.TokenCookies;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private static final String COOKIE_MODE = "cookie";

    private final TokenService tokens;
    private final JsonWebToken token;
    private final ClientAddress clientAddress;
    private final ObjectMapper json;
    private final Validator validator;

    private final Dpop dpop;

    public TokenResource(TokenService tokens, JsonWebToken token, ClientAddress clientAddress, ObjectMapper json,
            Validator validator, Dpop dpop) {
        this.tokens = tokens;
        this.dpop = dpop;
        this.token = token;
        this.clientAddress = clientAddress;
        this.json = json;
        this.validator = validator;
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange a username and password for a token pair",
            description = "With mode=cookie the tokens are set as HttpOnly cookies with a readable CSRF cookie, "
                    + "and the body holds no token.")
    @Parameter(name = Dpop.HEADER, in = ParameterIn.HEADER, description = "A DPoP proof (RFC 9449) for POST at this "
            + "endpoint's public URL: binds the session and its tokens to the proof's key")
    @APIResponse(responseCode = "200", description = "Token pair (or, with mode=cookie, lifetimes and cookies); "
            + "token_type DPoP when a DPoP proof bound the session", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenPair.class)))
    @APIResponse(responseCode = "400", description = "Invalid input; invalid-dpop-proof (the problem's error member: "
            + "invalid_dpop_proof, or use_dpop_nonce with a DPoP-Nonce header) for a refused proof, or none where "
            + "the client requires one")
    @APIResponse(responseCode = "401", description = "Bad credentials (same answer for unknown users)")
    @APIResponse(responseCode = "429", description = "Too many failed logins for this username or address; see Retry-After")
    @APIResponse(responseCode = "503", description = "A store or the password-hashing capacity is unavailable; "
            + "see Retry-After")
    public Response login(@Valid @NotNull LoginRequest request,
            @Parameter(description = "'cookie' for browser mode") @QueryParam("mode") String mode,
            @Context HttpServerRequest http) {
        boolean cookies = isCookieMode(mode);
        String jkt = proven(http, cookies);
        return respond(tokens.login(request, clientAddress.of(http), http.getHeader("User-Agent"), jkt), cookies);
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Spend a refresh token for a new token pair (rotation)",
            description = "With mode=cookie the refresh token is read from its cookie (a body is optional) and "
                    + "the X-CSRF-Token header must match the CSRF cookie.")
    @Parameter(name = Dpop.HEADER, in = ParameterIn.HEADER, description = "For a DPoP-bound session, a DPoP proof of "
            + "its key (RFC 9449)")
    @APIResponse(responseCode = "200", description = "New token pair; the presented refresh token is spent",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenPair.class)))
    @APIResponse(responseCode = "400", description = "Invalid input; invalid-dpop-proof when the session is "
            + "DPoP-bound and the request has no proof of its key, or it is not bound and the request has a proof: "
            + "the refresh token is then left unspent")
    @APIResponse(responseCode = "401", description = "Expired, revoked, spent or not a refresh token")
    @APIResponse(responseCode = "403", description = "Cookie mode without the matching X-CSRF-Token")
    @APIResponse(responseCode = "503", description = "The session store is unavailable; retry")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RefreshRequest.class)))
    public Response refresh(String body,
            @Parameter(description = "'cookie' for browser mode") @QueryParam("mode") String mode,
            @Context HttpServerRequest http) throws JsonProcessingException {
        RefreshRequest request = refreshRequestIn(body, http);
        String presented = request.refreshToken();
        if (isCookieMode(mode)) {
            Csrf.check(http);
            Cookie cookie = http.getCookie(TokenCookies.REFRESH);
            if (presented == null && cookie != null && !cookie.getValue().isEmpty()) {
                presented = cookie.getValue();
            }
            if (presented == null) {
                throw new InvalidTokenException("refresh_missing", "no refresh token was presented");
            }
            return respond(tokens.refresh(presented, request.clientId(), proven(http, true)), true);
        }
        if (presented == null) {
            throw new InvalidRequestException("refresh_token is required");
        }
        return respond(tokens.refresh(presented, request.clientId(), proven(http, false)), false);
    }

    /**
     * The thumbprint of the key the request's DPoP proof proves, checked and spent; null without a proof. Cookie
     * mode carries bearer tokens only: a browser's cookies cannot come with a proof.
     */
    private String proven(HttpServerRequest http, boolean cookies) {
        if (cookies && http.headers().contains(Dpop.HEADER)) {
            throw new DpopException(DpopException.INVALID_PROOF, "dpop_cookie",
                    "cookie mode issues no DPoP-bound tokens; leave mode out to use DPoP");
        }
        return dpop.atTokenEndpoint(http).map(DpopProof::jkt).orElse(null);
    }

    @POST
    @Path("/logout")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Revoke this access token and its session; clears browser-mode cookies")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Cookie mode without the matching X-CSRF-Token")
    @APIResponse(responseCode = "503", description = "A store is unavailable; retry")
    public Response logout() {
        tokens.logout(token);
        Response.ResponseBuilder response = Response.noContent();
        TokenCookies.clear().forEach(cookie -> response.header("Set-Cookie", cookie));
        return response.build();
    }

    @POST
    @Path("/logout-all")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Revoke every token of this user issued up to now, on every node")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Cookie mode without the matching X-CSRF-Token")
    @APIResponse(responseCode = "503", description = "A store is unavailable; nothing was revoked, retry")
    public void logoutAll() {
        tokens.revokeUser(UserClaims.userId(token), RevokeReason.LOGOUT_ALL);
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "RFC 7009 revocation of an access or refresh token")
    @APIResponse(responseCode = "200", description = "Whether or not the token was valid")
    @APIResponse(responseCode = "400", description = "Missing token field")
    @APIResponse(responseCode = "503", description = "A store is unavailable; retry")
    public Response revoke(@Valid @NotNull RevokeRequest request) {
        tokens.revoke(request.token());
        return Response.ok(Map.of()).build();
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "RFC 7009 revocation with the form-encoded token parameter, as RFC 7009 clients send it",
            description = "Client credentials, if sent, are ignored: anyone holding a token may revoke it.")
    @APIResponse(responseCode = "200", description = "Whether or not the token was valid")
    @APIResponse(responseCode = "400", description = "Missing or oversized token parameter")
    @APIResponse(responseCode = "503", description = "A store is unavailable; retry")
    public Response revokeForm(String body) {
        String token;
        try {
            token = OAuthForm.parse(body).get("token").orElse(null);
        } catch (OAuthRequestException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        if (token == null || token.length() > RevokeRequest.MAX_TOKEN) {
            throw new InvalidRequestException("token is required, at most " + RevokeRequest.MAX_TOKEN + " characters");
        }
        return revoke(new RevokeRequest(token));
    }

    /** The body is optional in browser mode, so it is read here rather than bound to a required JSON entity. */
    private RefreshRequest refreshRequestIn(String body, HttpServerRequest http) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return new RefreshRequest(null, null);
        }
        String contentType = http.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith(MediaType.APPLICATION_JSON)) {
            throw new NotSupportedException();
        }
        RefreshRequest request = json.readValue(body, RefreshRequest.class);
        Set<ConstraintViolation<RefreshRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    private static boolean isCookieMode(String mode) {
        if (mode != null && !COOKIE_MODE.equals(mode)) {
            throw new InvalidRequestException("mode must be 'cookie' or absent");
        }
        return mode != null;
    }

    private Response respond(TokenPair pair, boolean cookies) {
        Response.ResponseBuilder response = Response.ok(cookies ? CookieSession.of(pair) : pair)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
        dpop.nonce().ifPresent(nonce -> response.header(Dpop.NONCE_HEADER, nonce));
        if (cookies) {
            TokenCookies.issue(pair).forEach(cookie -> response.header("Set-Cookie", cookie));
        }
        return response.build();
    }
}
