package dev.tokenservice.oauth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.client.GrantType;
import dev.tokenservice.client.RegisteredClient;
import dev.tokenservice.token.ClientToken;
import dev.tokenservice.token.TokenIssuer;
import dev.tokenservice.token.TokenService;
import dev.tokenservice.token.TokenMetrics;

/**
 * The token endpoint's one grant, {@code client_credentials} (RFC 6749 §4.4): an authenticated confidential client
 * gets a token of its own for the scopes and audience it asks for, within what it is configured for.
 */
@ApplicationScoped
public class ClientCredentialsGrant {

    private final TokenIssuer issuer;
    private final TokenMetrics metrics;

    public ClientCredentialsGrant(TokenIssuer issuer, TokenMetrics metrics) {
        this.issuer = issuer;
        this.metrics = metrics;
    }

    /**
     * Issues the client's token. Without {@code scope} the token gets every scope the client is configured for
     * (RFC 6749 §3.3's pre-defined default); without {@code audience}, every audience. With {@code dpopJkt}, the
     * thumbprint of the key a checked DPoP proof proved, the token is bound to that key.
     */
    public ClientToken issue(RegisteredClient client, String grantType, Optional<String> scope,
            Optional<String> audience, String dpopJkt) {
        checkGrantType(client, grantType);
        List<String> scopes = scopes(client, scope);
        List<String> audiences = audiences(client, audience);
        TokenService.requireProofIfConfigured(client, dpopJkt);
        metrics.issued(GrantType.CLIENT_CREDENTIALS.value());
        return issuer.issue(client, audiences, scopes, dpopJkt);
    }

    private static void checkGrantType(RegisteredClient client, String grantType) {
        if (!GrantType.CLIENT_CREDENTIALS.value().equals(grantType)) {
            throw new OAuthRequestException("unsupported_grant_type",
                    "the token endpoint supports only the client_credentials grant");
        }
        if (!client.allows(GrantType.CLIENT_CREDENTIALS)) {
            throw new OAuthRequestException("unauthorized_client",
                    "this client may not use the client_credentials grant");
        }
    }

    private static List<String> scopes(RegisteredClient client, Optional<String> scope) {
        if (scope.isEmpty()) {
            return client.scopes().stream().sorted().toList();
        }
        Set<String> requested = new LinkedHashSet<>(Arrays.asList(scope.get().strip().split(" +")));
        if (!client.scopes().containsAll(requested)) {
            throw new OAuthRequestException("invalid_scope", "a requested scope is not one this client may have");
        }
        return List.copyOf(requested);
    }

    private static List<String> audiences(RegisteredClient client, Optional<String> audience) {
        if (audience.isEmpty()) {
            return client.audiences();
        }
        if (!client.audiences().contains(audience.get())) {
            throw OAuthRequestException.invalidRequest("audience is not one this client's tokens may have");
        }
        return List.of(audience.get());
    }
}
