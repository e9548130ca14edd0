package dev.tokenservice;

import static io.restassured.RestAssured.given;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Client-side steps the tests share: accounts with random names, logins, authorised calls. */
public final class Api {

    public static final String PASSWORD = "correct horse battery";
    public static final String ADMIN_USERNAME = "root-admin";
    public static final String ADMIN_PASSWORD = "root-admin-password";

    private Api() {
    }

    public static String randomUsername() {
        return "user-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A random private IPv4 address, for a client behind a trusted proxy (X-Forwarded-For). */
    public static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    public static Response register(String username, String password) {
        return json().body(Map.of("username", username, "password", password)).post("/auth/register");
    }

    public static Response login(String username, String password) {
        return json().body(Map.of("username", username, "password", password)).post("/auth/login");
    }

    /** Registers a fresh account and logs it in; returns the token pair. */
    public static Tokens newSession() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        return Tokens.of(username, login(username, PASSWORD));
    }

    public static Tokens loginAs(String username, String password) {
        return Tokens.of(username, login(username, password));
    }

    public static Response refresh(String refreshToken) {
        return json().body(Map.of("refresh_token", refreshToken)).post("/auth/refresh");
    }

    public static Response greeting(String accessToken) {
        return bearer(accessToken).get("/api/greeting");
    }

    public static RequestSpecification bearer(String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken);
    }

    /** {@code Basic} credentials as RFC 6749 §2.3.1 has them: id and secret form-encoded, then base64. */
    public static String basic(String clientId, String secret) {
        String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** A form-encoded request authenticated as a client. */
    public static RequestSpecification asClient(String clientId, String secret) {
        return given().header("Authorization", basic(clientId, secret)).contentType(ContentType.URLENC);
    }

    /** {@code POST /oauth/token} with {@code grant_type=client_credentials}; the test clients' secrets are "id-secret". */
    public static Response clientToken(String clientId) {
        return asClient(clientId, clientId + "-secret").formParam("grant_type", "client_credentials")
                .post("/oauth/token");
    }

    public static Response introspect(String clientId, String token) {
        return asClient(clientId, clientId + "-secret").formParam("token", token).post("/oauth/introspect");
    }

    public static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    /** A token pair as the service returned it. */
    public record Tokens(String username, String accessToken, String refreshToken) {

        static Tokens of(String username, Response login) {
            login.then().statusCode(200);
            return new Tokens(username, login.path("access_token"), login.path("refresh_token"));
        }
    }
}
