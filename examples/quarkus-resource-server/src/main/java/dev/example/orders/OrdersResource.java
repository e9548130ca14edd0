package dev.example.orders;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** One protected endpoint: stock smallrye-jwt has verified the token before this runs. */
@Path("/orders")
@Authenticated
public class OrdersResource {

    private final JsonWebToken token;

    @Inject
    public OrdersResource(JsonWebToken token) {
        this.token = token;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Orders list() {
        return new Orders(token.getSubject(), token.getAudience());
    }

    public record Orders(String sub, Set<String> aud) {
    }
}
