package dev.tokenservice.web;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class CookieModeTest {

    @Test
    void loginSetsHardenedCookiesAndNoTokenInTheBody() {
        Response login = cookieLogin();
        login.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("cookie"))
                .body("$", not(hasKey("access_token")))
                .body("$", not(hasKey("refresh_token")));
        List<String> cookies = login.getHeaders().getValues("Set-Cookie");
        assertEquals(3, cookies.size(), cookies.toString());
        assertCookie(cookies, "__Host-access_token=", "Path=/;", true);
        assertCookie(cookies, "__Secure-refresh_token=", "Path=/auth/refresh;", true);
        assertCookie(cookies, "__Host-csrf_token=", "Path=/;", false);
    }

    @Test
    void readsNeedNoCsrfButChangesDo() {
        Response login = cookieLogin();
        withCookies(login).get("/api/greeting").then().statusCode(200).body("message", containsString("Hey"));
        withCookies(login).get("/auth/me").then().statusCode(200);

        assertProblem(withCookies(login).post("/auth/logout"), 403, "csrf");
        assertProblem(withCookies(login).header("X-CSRF-Token", "wrong").post("/auth/logout"), 403, "csrf");
        withCookies(login).get("/api/greeting").then().statusCode(200);
    }

    @Test
    void refreshFromTheCookieWithCsrf() {
        Response login = cookieLogin();
        assertProblem(given().cookie("__Secure-refresh_token", login.getCookie("__Secure-refresh_token"))
                .cookie("__Host-csrf_token", login.getCookie("__Host-csrf_token"))
                .post("/auth/refresh?mode=cookie"), 403, "csrf");

        Response refreshed = withCookies(login).header("X-CSRF-Token", login.getCookie("__Host-csrf_token"))
                .post("/auth/refresh?mode=cookie");
        refreshed.then().statusCode(200).body("token_type", equalTo("cookie")).body("$", not(hasKey("refresh_token")));
        assertNotEquals(login.getCookie("__Secure-refresh_token"), refreshed.getCookie("__Secure-refresh_token"));
        withCookies(refreshed).get("/api/greeting").then().statusCode(200);
    }

    @Test
    void logoutWithCsrfRevokesAndClearsTheCookies() {
        Response login = cookieLogin();
        String access = login.getCookie("__Host-access_token");
        Response logout = withCookies(login).header("X-CSRF-Token", login.getCookie("__Host-csrf_token"))
                .post("/auth/logout");
        logout.then().statusCode(204);
        List<String> cleared = logout.getHeaders().getValues("Set-Cookie");
        assertEquals(3, cleared.size());
        cleared.forEach(cookie -> assertTrue(cookie.contains("Max-Age=0"), cookie));

        assertInvalidToken(withCookies(login).get("/api/greeting"));
        assertInvalidToken(given().header("Authorization", "Bearer " + access).get("/api/greeting"));
    }

    @Test
    void theBearerHeaderWinsOverTheCookie() {
        Response login = cookieLogin();
        assertInvalidToken(withCookies(login).header("Authorization", "Bearer not.a.token").get("/api/greeting"));
        String other = newSession().accessToken();
        withCookies(login).header("Authorization", "Bearer " + other).post("/auth/logout").then().statusCode(204);
        withCookies(login).get("/api/greeting").then().statusCode(200);
    }

    @Test
    void unknownModeIsBadRequest() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        assertProblem(json().body(Map.of("username", username, "password", PASSWORD)).post("/auth/login?mode=jar"),
                400, "invalid-input");
    }

    private static Response cookieLogin() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        return json().body(Map.of("username", username, "password", PASSWORD)).post("/auth/login?mode=cookie");
    }

    private static RequestSpecification withCookies(Response login) {
        RequestSpecification request = given();
        login.getCookies().forEach(request::cookie);
        return request;
    }

    private static void assertCookie(List<String> cookies, String prefix, String path, boolean httpOnly) {
        String cookie = cookies.stream().filter(c -> c.startsWith(prefix)).findFirst().orElseThrow();
        assertThat(cookie, allOf(containsString(path), containsString("Secure"),
                containsString("SameSite=Strict")));
        assertEquals(httpOnly, cookie.contains("HttpOnly"), cookie);
    }
}
