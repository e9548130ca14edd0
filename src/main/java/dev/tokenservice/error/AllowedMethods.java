package dev.tokenservice.error;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;

/**
 * The methods each path takes, for the {@code Allow} header of a 405 (RFC 9110 §15.5.6), read once, on the first 405,
 * from the OpenAPI document the build made of the resources: the one place that lists every path with its methods.
 */
@ApplicationScoped
public class AllowedMethods {

    private static final String DEFAULT_DOCUMENT = "<default>";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final OpenApiDocumentService documents;
    private final ObjectMapper json;
    private volatile List<Route> routes;

    public AllowedMethods(OpenApiDocumentService documents, ObjectMapper json) {
        this.documents = documents;
        this.json = json;
    }

    /** The {@code Allow} value for a request path, if the path is one of the service's. */
    public Optional<String> of(String path) {
        return routes().stream().filter(route -> route.pattern().matcher(path).matches()).findFirst()
                .map(Route::allow);
    }

    private List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            known = read();
            routes = known;
        }
        return known;
    }

    private List<Route> read() {
        List<Route> found = new ArrayList<>();
        try {
            JsonNode paths = json.readTree(documents.getDocument(DEFAULT_DOCUMENT, Format.JSON)).path("paths");
            paths.properties().forEach(entry -> {
                Set<String> allowed = new TreeSet<>();
                entry.getValue().fieldNames().forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        allowed.add(method.toUpperCase());
                    }
                });
                if (allowed.contains("GET")) {
                    allowed.add("HEAD");
                }
                allowed.add("OPTIONS");
                found.add(new Route(template(entry.getKey()), String.join(", ", allowed)));
            });
        } catch (IOException | RuntimeException e) {
            Log.warnf("the OpenAPI document could not be read; 405 answers go without Allow: %s", e.getMessage());
        }
        return List.copyOf(found);
    }

    /** A path template ({@code /auth/sessions/{id}}) as a pattern matching one segment per variable. */
    private static Pattern template(String path) {
        StringBuilder pattern = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=\\})")) {
            pattern.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(pattern.toString());
    }

    private record Route(Pattern pattern, String allow) {
    }
}
