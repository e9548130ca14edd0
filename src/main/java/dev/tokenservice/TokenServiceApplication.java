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
                        bearerFormat = "JWT"),
                @SecurityScheme(securitySchemeName = "client", type = SecuritySchemeType.HTTP, scheme = "basic",
                        description = "A confidential client's id and secret (client_secret_basic)") }))
public class TokenServiceApplication extends Application {
}
