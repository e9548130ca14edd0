package dev.tokenservice;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

@OpenAPIDefinition(
        info = @Info(title = "Token service", version = "1.0",
                description = "Issues, refreshes and revokes JSON Web Tokens; revocation holds on every node."),
        components = @Components(securitySchemes = {
                @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
                        bearerFormat = "JWT", description = "An access token; a DPoP-bound one (token_type DPoP) "
                                + "goes as Authorization: DPoP <token> with a proof in the DPoP header instead "
                                + "(RFC 9449), on every endpoint that takes a bearer token"),
                @SecurityScheme(securitySchemeName = "dpop", type = SecuritySchemeType.HTTP, scheme = "dpop",
                        bearerFormat = "JWT", description = "A DPoP-bound access token with a DPoP proof header "
                                + "of its key for this request (RFC 9449 §7); accepted wherever bearer is"),
                @SecurityScheme(securitySchemeName = "client", type = SecuritySchemeType.HTTP, scheme = "basic",
                        description = "A confidential client's id and secret (client_secret_basic)") }))
public class TokenServiceApplication extends Application {
}
