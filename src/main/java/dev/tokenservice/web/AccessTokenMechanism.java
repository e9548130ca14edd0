package dev.tokenservice.web;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.token.InvalidTokenException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Finds the access token: the {@code Authorization: Bearer} header if there is one (it wins, and the cookie is
 * then ignored), else the access cookie of browser mode, in which case a request that changes state must also
 * pass the CSRF check. Query parameters are never consulted.
 */
@ApplicationScoped
public class AccessTokenMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"token-service\"";

    /** The {@code WWW-Authenticate} value of a 401: RFC 6750's {@code invalid_token} when a token was presented. */
    public static String challenge(boolean tokenPresented) {
        return tokenPresented ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        HttpServerRequest request = context.request();
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String token;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                return Uni.createFrom().failure(new AuthenticationFailedException(
                        new InvalidTokenException("scheme", "only Bearer access tokens are accepted")));
            }
            token = authorization.substring(SCHEME.length()).strip();
        } else {
            Cookie cookie = request.getCookie(TokenCookies.ACCESS);
            if (cookie == null || cookie.getValue().isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            if (Csrf.isUnsafe(request.method().name())) {
                try {
                    Csrf.check(request);
                } catch (CsrfException e) {
                    return Uni.createFrom().failure(new AuthenticationFailedException(e));
                }
            }
            token = cookie.getValue();
        }
        TokenAuthenticationRequest authentication = new TokenAuthenticationRequest(new TokenCredential(token, "bearer"));
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(authentication, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        HttpServerRequest request = context.request();
        boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getCookie(TokenCookies.ACCESS) != null;
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", challenge(presented)));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
