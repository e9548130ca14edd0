package dev.tokenservice.oauth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.tokenservice.client.ClientAuthenticator;
import dev.tokenservice.client.RegisteredClient;
import dev.tokenservice.web.ClientAddress;
import io.vertx.core.http.HttpServerRequest;

/** The common first steps of the client-authenticated OAuth endpoints, and their never-cached answer. */
@ApplicationScoped
public class ClientForms {

    private final ClientAuthenticator authenticator;
    private final ClientAddress clientAddress;

    public ClientForms(ClientAuthenticator authenticator, ClientAddress clientAddress) {
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
    }

    /**
     * Authenticates the client by HTTP Basic, then reads the form; a {@code client_id} in the form must be it. Bad
     * credentials are a 401 whatever else is wrong with the request.
     */
    ClientForm read(String body, String authorization, HttpServerRequest http) {
        RegisteredClient client = authenticate(authorization, http);
        OAuthForm form = OAuthForm.parse(body);
        form.refuseSecretInBody();
        form.checkClientId(client.id());
        return new ClientForm(client, form);
    }

    /**
     * The form of a request whose credentials this node admitted from its address a moment ago, read without a Redis
     * call or a secret check (so on the event loop); empty when they were not, and the request must take
     * {@link #read}.
     */
    Optional<ClientForm> readRemembered(String body, String authorization, HttpServerRequest http) {
        Optional<RegisteredClient> client = authenticator.remembered(authorization, clientAddress.of(http));
        if (client.isEmpty()) {
            return Optional.empty();
        }
        OAuthForm form = OAuthForm.parse(body);
        form.refuseSecretInBody();
        form.checkClientId(client.get().id());
        return Optional.of(new ClientForm(client.get(), form));
    }

    /** The client the request's HTTP Basic credentials name, checked first in every client-authenticated request. */
    RegisteredClient authenticate(String authorization, HttpServerRequest http) {
        return authenticator.authenticate(authorization, clientAddress.of(http));
    }

    static Response.ResponseBuilder noStore(Object entity) {
        return Response.ok(entity).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    record ClientForm(RegisteredClient client, OAuthForm form) {
    }
}
