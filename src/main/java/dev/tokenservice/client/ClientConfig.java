package dev.tokenservice.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** This service's audience and the registered OAuth clients, under {@code auth.*}. */
@ConfigMapping(prefix = "auth")
public interface ClientConfig {

    /** This service's own audience: its endpoints accept an access token only if its {@code aud} holds it. */
    @WithDefault("token-service")
    String audience();

    /** The client that login and refresh act for when the request names none. */
    @WithDefault("web")
    String defaultClient();

    /** The registered clients by id. */
    Map<String, Client> clients();

    interface Client {
        /** {@code public} (no secret: the web page, a mobile app) or {@code confidential} (a server). */
        ClientType type();

        /** Lowercase hex SHA-256 of the client secret; confidential clients only. */
        Optional<String> secretSha256();

        /**
         * Of {@code password}, {@code refresh_token}, {@code client_credentials}; a public client needs one. A
         * confidential client with none (left out, or {@code none}) may only introspect and read the feed.
         */
        Optional<List<String>> grantTypes();

        /** The {@code aud} of this client's access tokens. */
        List<String> audiences();

        /** Scopes a machine client may ask for with {@code client_credentials}. */
        Optional<List<String>> scopes();

        /**
         * {@code optional} (the default): a DPoP proof binds the client's tokens, none leaves them bearer tokens;
         * {@code required}: every login and token request of the client needs a proof.
         */
        @WithDefault("optional")
        String dpop();
    }
}
