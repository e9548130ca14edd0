package dev.tokenservice.web;

import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ResponseHygieneTest {

    @Test
    void everyResponseSaysNoSniff() {
        given().get("/q/health/live").then().header("X-Content-Type-Options", equalTo("nosniff"));
        given().get("/no/such/path").then().header("X-Content-Type-Options", equalTo("nosniff"));
    }

    @Test
    void corsIsOffAndNeverReflectsAnOrigin() {
        given().header("Origin", "https://evil.example").get("/.well-known/jwks.json").then()
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Credentials", nullValue());
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/auth/login").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void anOversizedBodyIsAProblem() {
        String huge = "x".repeat(200 * 1024);
        assertProblem(json().body("{\"username\":\"" + randomUsername() + "\",\"password\":\"" + huge + "\"}")
                .post("/auth/register"), 413, "payload-too-large");
    }
}
