package dev.tokenservice.cluster;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The public API of one base URL (a node or the balancer), as a client sees it. */
public record Client(String baseUri) {

    public static final String PASSWORD = "cluster password 123";

    public Response register(String username) {
        return json().body(Map.of("username", username, "password", PASSWORD)).post("/auth/register");
    }

    public Response login(String username, String password) {
        return json().body(Map.of("username", username, "password", password)).post("/auth/login");
    }

    /** Registers a random user and logs in; returns the token pair response. */
    public Response newSession() {
        String username = "cluster-" + UUID.randomUUID().toString().substring(0, 12);
        register(username).then().statusCode(201);
        return login(username, PASSWORD).then().statusCode(200).extract().response();
    }

    public Response refresh(String refreshToken) {
        return json().body(Map.of("refresh_token", refreshToken)).post("/auth/refresh");
    }

    public Response greeting(String accessToken) {
        return bearer(accessToken).get("/api/greeting");
    }

    public RequestSpecification bearer(String accessToken) {
        return given().baseUri(baseUri).header("Authorization", "Bearer " + accessToken);
    }

    public RequestSpecification json() {
        return given().baseUri(baseUri).contentType(ContentType.JSON);
    }

    public RequestSpecification plain() {
        return given().baseUri(baseUri);
    }
}
