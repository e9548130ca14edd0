package dev.tokenservice.oauth;

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

    /** Reads the form and authenticates the client by HTTP Basic; a {@code client_id} in the form must be it. */
    ClientForm read(String body, String authorization, HttpServerRequest http) {
        OAuthForm form = OAuthForm.parse(body);
        form.refuseSecretInBody();
        RegisteredClient client = authenticator.authenticate(authorization, clientAddress.of(http));
        form.checkClientId(client.id());
        return new ClientForm(client, form);
    }

    static Response noStore(Object entity) {
        return Response.ok(entity).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    record ClientForm(RegisteredClient client, OAuthForm form) {
    }
}
