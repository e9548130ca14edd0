package dev.tokenservice.error;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.exception.JDBCConnectionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.tokenservice.account.AccountNotFoundException;
import dev.tokenservice.account.HashingCapacityExceededException;
import dev.tokenservice.account.InvalidCredentialsException;
import dev.tokenservice.account.InvalidUsernameException;
import dev.tokenservice.account.TooManyLoginAttemptsException;
import dev.tokenservice.account.UsernameTakenException;
import dev.tokenservice.account.WrongPasswordException;
import dev.tokenservice.client.InvalidClientException;
import dev.tokenservice.client.TooManyClientAttemptsException;
import dev.tokenservice.client.UnknownClientException;
import dev.tokenservice.dpop.Dpop;
import dev.tokenservice.dpop.DpopException;
import dev.tokenservice.oauth.OAuthRequestException;
import dev.tokenservice.revocation.RevocationUnavailableException;
import dev.tokenservice.session.SessionNotFoundException;
import dev.tokenservice.token.ClientTokenException;
import dev.tokenservice.token.InvalidRequestException;
import dev.tokenservice.token.InvalidTokenException;
import dev.tokenservice.web.AccessTokenMechanism;
import dev.tokenservice.web.CsrfException;
import dev.tokenservice.web.TokenCookies;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** The one place where exceptions become {@code application/problem+json} responses. */
public class ProblemMappers {

    private final Dpop dpop;
    private final AllowedMethods allowedMethods;

    public ProblemMappers(Dpop dpop, AllowedMethods allowedMethods) {
        this.dpop = dpop;
        this.allowedMethods = allowedMethods;
    }

    @ServerExceptionMapper
    public Response usernameTaken(UsernameTakenException e) {
        return Problem.of(Status.CONFLICT, "username-taken", e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response invalidUsername(InvalidUsernameException e) {
        return Problem.of(Status.BAD_REQUEST, "invalid-input", e.getMessage()).toResponse().build();
    }

    /** Wrong credentials say nothing about a token: a plain {@code Bearer} challenge, never invalid_token. */
    @ServerExceptionMapper
    public Response invalidCredentials(InvalidCredentialsException e) {
        return credentialsUnauthorized(e.getMessage());
    }

    @ServerExceptionMapper
    public Response wrongPassword(WrongPasswordException e) {
        return credentialsUnauthorized(e.getMessage());
    }

    @ServerExceptionMapper
    public Response hashingCapacityExceeded(HashingCapacityExceededException e) {
        return serviceUnavailable(e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidToken(InvalidTokenException e) {
        return Problem.of(Status.UNAUTHORIZED, "invalid-token", e.getMessage()).toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, AccessTokenMechanism.challenge(true)).build();
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return Problem.of(Status.BAD_REQUEST, "invalid-input", e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response clientToken(ClientTokenException e) {
        return Problem.of(Status.FORBIDDEN, "forbidden", e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response csrf(CsrfException e) {
        return Problem.of(Status.FORBIDDEN, "csrf", e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response tooManyLoginAttempts(TooManyLoginAttemptsException e) {
        return Problem.of(Status.TOO_MANY_REQUESTS, "too-many-attempts", e.getMessage()).toResponse()
                .header("Retry-After", Long.toString(e.retryAfterSeconds())).build();
    }

    @ServerExceptionMapper
    public Response invalidClient(InvalidClientException e) {
        return OAuthError.invalidClient(e).build();
    }

    @ServerExceptionMapper
    public Response tooManyClientAttempts(TooManyClientAttemptsException e) {
        return OAuthError.tooManyClientAttempts(e).build();
    }

    @ServerExceptionMapper
    public Response oauthRequest(OAuthRequestException e) {
        return new OAuthError(e.error(), e.getMessage()).toResponse(400).build();
    }

    @ServerExceptionMapper
    public Response unknownClient(UnknownClientException e) {
        return Problem.of(Status.BAD_REQUEST, "invalid-client", e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response accountNotFound(AccountNotFoundException e) {
        return Problem.of(Status.NOT_FOUND, "account-not-found", e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response sessionNotFound(SessionNotFoundException e) {
        return Problem.of(Status.NOT_FOUND, "session-not-found", e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpHeaders headers) {
        RevocationUnavailableException outage = Causes.find(e, RevocationUnavailableException.class);
        if (outage != null) {
            return revocationUnavailable(outage);
        }
        CsrfException csrf = Causes.find(e, CsrfException.class);
        if (csrf != null) {
            return csrf(csrf);
        }
        DpopException dpop = Causes.find(e, DpopException.class);
        if (dpop != null) {
            return dpopChallenge(dpop);
        }
        InvalidTokenException invalid = Causes.find(e, InvalidTokenException.class);
        String detail = invalid != null ? invalid.getMessage() : "the access token is not valid";
        return unauthorized("invalid-token", detail, headers);
    }

    /**
     * A refused proof at a token endpoint: 400 with RFC 9449's error code, as an RFC 6749 body at {@code /oauth/token}
     * and a problem with an {@code error} member at login and refresh; a fresh nonce with {@code use_dpop_nonce}.
     */
    @ServerExceptionMapper
    public Response dpopRefused(DpopException e, UriInfo uri) {
        Response.ResponseBuilder response = uri.getPath().startsWith("/oauth/")
                ? new OAuthError(e.error(), e.getMessage()).toResponse(400)
                : Problem.of(Status.BAD_REQUEST, "invalid-dpop-proof", e.getMessage()).withError(e.error()).toResponse();
        return withNonce(response, e).build();
    }

    /** A refused DPoP request to a protected endpoint: 401 with the DPoP challenge (RFC 9449 §7.1). */
    private Response dpopChallenge(DpopException e) {
        String challenge = dpopChallenge(e.error(), e.getMessage());
        String slug = DpopException.INVALID_TOKEN.equals(e.error()) ? "invalid-token" : "invalid-dpop-proof";
        Response.ResponseBuilder response = Problem.of(Status.UNAUTHORIZED, slug, e.getMessage())
                .withError(e.error()).toResponse().header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return withNonce(response, e).build();
    }

    private Response.ResponseBuilder withNonce(Response.ResponseBuilder response, DpopException e) {
        if (DpopException.USE_NONCE.equals(e.error())) {
            dpop.nonce().ifPresent(nonce -> response.header(Dpop.NONCE_HEADER, nonce));
        }
        return response;
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpHeaders headers) {
        return unauthorized("unauthorized", "an access token is required", headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(Status.FORBIDDEN, "forbidden", "the token lacks the role this resource requires")
                .toResponse().build();
    }

    @ServerExceptionMapper
    public Response revocationUnavailable(RevocationUnavailableException e) {
        Log.warnf("revocation store unavailable: %s", rootMessage(e));
        return serviceUnavailable("the revocation store is unavailable; retry shortly");
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<String> violations = e.getConstraintViolations().stream()
                .map(ProblemMappers::describe).sorted().toList();
        return Problem.of(Status.BAD_REQUEST, "invalid-input", String.join("; ", violations))
                .toResponse().build();
    }

    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class })
    public Response malformedJson(Exception e) {
        return Problem.of(Status.BAD_REQUEST, "malformed-body", "the request body is not valid JSON of the expected shape")
                .toResponse().build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (Causes.find(e, JsonProcessingException.class) != null) {
            return malformedJson(e);
        }
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        if (status.getStatusCode() >= 500) {
            Log.error("request failed", e);
        }
        Response.ResponseBuilder response = Problem.of(status, slug(status), status.getReasonPhrase()).toResponse();
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        if (status.getStatusCode() == Status.METHOD_NOT_ALLOWED.getStatusCode()
                && original.getHeaderString(HttpHeaders.ALLOW) == null) {
            allowedMethods.of(uri.getPath()).ifPresent(allow -> response.header(HttpHeaders.ALLOW, allow));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (isStoreUnavailable(e)) {
            Log.warnf("database unavailable: %s", rootMessage(e));
            return serviceUnavailable("the account store is unavailable; retry shortly");
        }
        Log.error("unexpected failure", e);
        return Problem.of(Status.INTERNAL_SERVER_ERROR, "internal", "an unexpected error occurred")
                .toResponse().build();
    }

    /**
     * The challenge of the scheme the request used: for {@code Authorization: DPoP}, DPoP's with {@code invalid_token}
     * and its description (in the problem's {@code error} member too), else Bearer's.
     */
    private static Response unauthorized(String slug, String detail, HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (AccessTokenMechanism.isDpopScheme(authorization)) {
            return Problem.of(Status.UNAUTHORIZED, slug, detail).withError(DpopException.INVALID_TOKEN).toResponse()
                    .header(HttpHeaders.WWW_AUTHENTICATE, dpopChallenge(DpopException.INVALID_TOKEN, detail)).build();
        }
        boolean tokenPresented = authorization != null || headers.getCookies().containsKey(TokenCookies.ACCESS);
        return Problem.of(Status.UNAUTHORIZED, slug, detail).toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, AccessTokenMechanism.challenge(tokenPresented)).build();
    }

    /** RFC 9449 §7.1's challenge; the description is a message of ours, kept to what a quoted string may hold. */
    private static String dpopChallenge(String error, String description) {
        String quoted = description.replaceAll("[^ -~]|[\"\\\\]", "'");
        return Dpop.CHALLENGE + ", error=\"" + error + "\", error_description=\"" + quoted + "\"";
    }

    private static Response credentialsUnauthorized(String detail) {
        return Problem.of(Status.UNAUTHORIZED, "invalid-credentials", detail).toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, AccessTokenMechanism.challenge(false)).build();
    }

    private static Response serviceUnavailable(String detail) {
        return Problem.of(Status.SERVICE_UNAVAILABLE, "unavailable", detail).toResponse()
                .header("Retry-After", "1").build();
    }

    /**
     * A database that cannot be reached is a retryable outage, not a server bug; so is a transaction the
     * database could not commit (it died under the request, or the transaction timed out): nothing was stored.
     */
    static boolean isStoreUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof RollbackException || t instanceof HeuristicRollbackException
                    || t instanceof SystemException || t instanceof QuarkusTransactionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("Acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String field = path.substring(path.lastIndexOf('.') + 1);
        return field + " " + violation.getMessage();
    }

    private static String slug(Response.StatusType status) {
        return status.getReasonPhrase().toLowerCase().replace(' ', '-');
    }
}
