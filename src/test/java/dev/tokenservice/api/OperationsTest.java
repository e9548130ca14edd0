package dev.tokenservice.api;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class OperationsTest {

    @Test
    void healthIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Redis")).body(containsString("Database"));
    }

    @Test
    void metricsCountTokens() {
        Tokens tokens = newSession();
        bearer("bogus.token.value").get("/api/greeting");
        bearer(tokens.accessToken()).post("/auth/logout");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tokens_issued_total"))
                .body(containsString("tokens_revoked_total"))
                .body(containsString("tokens_rejected_total{reason="))
                .body(containsString("security_events_total{type=\"login.succeeded\"}"))
                .body(containsString("security_events_total{type=\"session.revoked\"}"));
    }

    @Test
    void openApiDescribesEveryEndpoint() {
        String document = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        for (String path : new String[] { "/auth/register", "/auth/login", "/auth/refresh", "/auth/logout",
                "/auth/logout-all", "/auth/password", "/auth/me", "/auth/revoke", "/.well-known/jwks.json",
                "/admin/users/{username}/revoke", "/api/greeting", "/api/admin/ping", "/oauth/token",
                "/oauth/introspect", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
                "/oauth/revocations", "/auth/sessions", "/auth/sessions/{id}", "/auth/sessions/revoke-others",
                "/admin/users/{username}/sessions", "/admin/users/{username}/sessions/{id}", "/auth/events",
                "/admin/events" }) {
            assertTrue(document.contains("\"" + path + "\""), path);
        }
        assertTrue(document.contains("\"text/event-stream\""), "the revocation feed's media type");
        JsonPath openApi = JsonPath.from(document);
        for (String path : new String[] { "/auth/login", "/auth/refresh", "/oauth/token" }) {
            assertTrue(openApi.getList("paths.'" + path + "'.post.parameters.name").contains("DPoP"), path + ": DPoP header");
        }
        assertEquals("dpop", openApi.getString("components.securitySchemes.dpop.scheme"));
    }

    @Test
    void theOpenApiDocumentStatesDpopErrorBodiesAndNullableFields() {
        JsonPath openApi = JsonPath.from(given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        for (String operation : new String[] { "'/auth/sessions'.get", "'/auth/sessions/{id}'.delete",
                "'/auth/events'.get", "'/admin/events'.get", "'/api/greeting'.get" }) {
            assertEquals(List.of(List.of("bearer"), List.of("dpop")),
                    openApi.getList("paths." + operation + ".security*.keySet()*.toList()"), operation);
        }
        assertEquals("string", openApi.getString(
                "paths.'/auth/login'.post.parameters.find { it.name == 'DPoP' }.schema.type"));
        assertEquals("#/components/schemas/TokenPair",
                openApi.getString("paths.'/auth/login'.post.responses.'200'.content.'application/json'.schema.$ref"));
        assertEquals("#/components/schemas/Problem", openApi.getString(
                "paths.'/auth/sessions/{id}'.delete.responses.'404'.content.'application/problem+json'.schema.$ref"));
        assertEquals("#/components/schemas/OAuthError", openApi.getString(
                "paths.'/oauth/token'.post.responses.'401'.content.'application/json'.schema.$ref"));
        assertEquals("#/components/schemas/Problem", openApi.getString(
                "paths.'/oauth/introspect'.post.responses.'503'.content.'application/problem+json'.schema.$ref"));
        assertEquals(List.of("string", "null"),
                openApi.getList("components.schemas.SessionResponse.properties.last_refreshed_at.type"));
        assertEquals(List.of("string", "null"),
                openApi.getList("components.schemas.EventPageResponse.properties.next_cursor.type"));
    }

    @Test
    void jwksPublishesPublicPartsOnly() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.size()", greaterThan(0))
                .body("keys", everyItem(not(hasKey("d"))))
                .body("keys[0].kty", equalTo("EC"))
                .body("keys[0].crv", equalTo("P-256"))
                .body("keys[0].alg", equalTo("ES256"))
                .body("keys[0].kid", notNullValue());
    }

    @Test
    void unknownPathAndWrongMethodAreProblems() {
        assertProblem(given().get("/no/such/path"), 404, "not-found");
        assertProblem(given().delete("/auth/login"), 405, "method-not-allowed")
                .header("Allow", "OPTIONS, POST");
    }

    @Test
    void aWrongMethodIsToldWhichMethodsThePathTakes() {
        assertProblem(given().post("/auth/sessions"), 405, "method-not-allowed").header("Allow", "GET, HEAD, OPTIONS");
        assertProblem(given().get("/auth/sessions/" + UUID.randomUUID()), 405, "method-not-allowed")
                .header("Allow", "DELETE, OPTIONS");
        assertProblem(given().delete("/admin/events"), 405, "method-not-allowed").header("Allow", "GET, HEAD, OPTIONS");
        assertProblem(given().put("/admin/users/someone/revoke"), 405, "method-not-allowed")
                .header("Allow", "OPTIONS, POST");
    }
}
