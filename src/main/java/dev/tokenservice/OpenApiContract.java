package dev.tokenservice;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What the OpenAPI document states for every operation alike, added once while the application is built (so the
 * running node does no more work for it):
 * <ul>
 * <li>wherever a bearer token is accepted, a DPoP-bound token with its proof is too (the {@code dpop} scheme);</li>
 * <li>an error answer's body: problem+json, but RFC 6749's {@code {"error"}} for the OAuth endpoints' 400, 401
 * and 429 (the feed's 429 may be either: a client's failed authentications, or its connection cap);</li>
 * <li>header parameters without a schema (the {@code DPoP} proof) are strings.</li>
 * </ul>
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiContract implements OASFilter {

    static final String PROBLEM = "Problem";
    static final String OAUTH_ERROR = "OAuthError";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String JSON = "application/json";
    private static final List<String> OAUTH_ERROR_STATUSES = List.of("400", "401", "429");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        addErrorSchemas(openAPI.getComponents());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values()
                .forEach(operation -> describe(path, operation)));
    }

    private static void describe(String path, Operation operation) {
        acceptDpopWhereBearerIs(operation);
        if (operation.getParameters() != null) {
            operation.getParameters().stream()
                    .filter(parameter -> parameter.getIn() == Parameter.In.HEADER && parameter.getSchema() == null
                            && parameter.getContent() == null)
                    .forEach(parameter -> parameter.setSchema(string()));
        }
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                describeError(path, status, response);
            }
        });
    }

    private static void acceptDpopWhereBearerIs(Operation operation) {
        List<SecurityRequirement> security = operation.getSecurity();
        if (security == null || security.stream().noneMatch(requirement -> requirement.hasScheme("bearer"))
                || security.stream().anyMatch(requirement -> requirement.hasScheme("dpop"))) {
            return;
        }
        operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("dpop"));
    }

    private static void describeError(String path, String status, APIResponse response) {
        if (response.getContent() != null && response.getContent().getMediaTypes() != null
                && !response.getContent().getMediaTypes().isEmpty()) {
            return;
        }
        boolean oauth = path.startsWith("/oauth/") && OAUTH_ERROR_STATUSES.contains(status);
        Content content = OASFactory.createContent();
        if (oauth) {
            content.addMediaType(JSON, OASFactory.createMediaType().schema(ref(OAUTH_ERROR)));
        }
        if (!oauth || path.equals("/oauth/revocations") && status.equals("429")) {
            content.addMediaType(PROBLEM_JSON, OASFactory.createMediaType().schema(ref(PROBLEM)));
        }
        response.setContent(content);
    }

    private static void addErrorSchemas(Components components) {
        if (components.getSchemas() == null || !components.getSchemas().containsKey(PROBLEM)) {
            components.addSchema(PROBLEM, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .description("An error (RFC 9457)")
                    .properties(Map.of(
                            "type", string().description("A URI naming the kind of error"),
                            "title", string(),
                            "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)),
                            "detail", string(),
                            "error", string().description("The OAuth or DPoP error code, where one applies "
                                    + "(e.g. invalid_dpop_proof, use_dpop_nonce, invalid_token)")))
                    .required(List.of("type", "title", "status", "detail")));
        }
        if (!components.getSchemas().containsKey(OAUTH_ERROR)) {
            components.addSchema(OAUTH_ERROR, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .description("An OAuth 2.0 error (RFC 6749 §5.2)")
                    .properties(Map.of("error", string(), "error_description", string()))
                    .required(List.of("error")));
        }
    }

    private static Schema string() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
    }

    private static Schema ref(String name) {
        return OASFactory.createSchema().ref(name);
    }
}
