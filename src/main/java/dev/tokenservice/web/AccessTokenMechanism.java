package dev.tokenservice.web;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.dpop.Dpop;
import dev.tokenservice.dpop.DpopException;
import dev.tokenservice.token.AccessTokenIdentityProvider;
import dev.tokenservice.token.InvalidTokenException;
import dev.tokenservice.token.VerifiedToken;
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
 * Finds the access token: the {@code Authorization} header if there is one (it wins, and the cookie is then
 * ignored), {@code Bearer}, or {@code DPoP} with its proof in the {@code DPoP} header; else the access cookie of
 * browser mode, in which case a request that changes state must also pass the CSRF check. Query parameters are
 * never consulted.
 */
@ApplicationScoped
public class AccessTokenMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";
    private static final String DPOP_SCHEME = "DPoP ";
    private static final String CHALLENGE = "Bearer realm=\"token-service\"";

    private final Dpop dpop;

    public AccessTokenMechanism(Dpop dpop) {
        this.dpop = dpop;
    }

    /**
     * Whether the header names the DPoP scheme (RFC 9449 §7.1), case-insensitively like every scheme, with or
     * without a token after it.
     */
    public static boolean isDpopScheme(String authorization) {
        return authorization != null && (authorization.regionMatches(true, 0, DPOP_SCHEME, 0, DPOP_SCHEME.length())
                || authorization.strip().equalsIgnoreCase(DPOP_SCHEME.strip()));
    }

    /** The {@code WWW-Authenticate} value of a 401: RFC 6750's {@code invalid_token} when a token was presented. */
    public static String challenge(boolean tokenPresented) {
        return tokenPresented ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        HttpServerRequest request = context.request();
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String token;
        if (isDpopScheme(authorization)) {
            return authenticateDpop(context, identityProviderManager,
                    authorization.strip().substring(DPOP_SCHEME.strip().length()).strip());
        }
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                return Uni.createFrom().failure(new AuthenticationFailedException(
                        new InvalidTokenException("scheme", "only Bearer and DPoP access tokens are accepted")));
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

    /**
     * A DPoP-bound token with its proof: the token is verified as any other (the identity provider also refuses an
     * unbound one), then the proof must be of the token's key, carry its hash, and be used for the first time.
     */
    private Uni<SecurityIdentity> authenticateDpop(RoutingContext context, IdentityProviderManager identityProviderManager,
            String token) {
        TokenAuthenticationRequest authentication = new TokenAuthenticationRequest(
                new TokenCredential(token, AccessTokenIdentityProvider.DPOP));
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(authentication, context))
                .flatMap(identity -> dpop.atResource(context.request(), token,
                        identity.getAttribute(VerifiedToken.JKT_ATTRIBUTE)).replaceWith(identity))
                .onFailure(DpopException.class).transform(AuthenticationFailedException::new);
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
