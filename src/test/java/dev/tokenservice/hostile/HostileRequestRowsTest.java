package dev.tokenservice.hostile;

import static dev.tokenservice.hostile.Http.assertProblemAmong;
import static dev.tokenservice.hostile.Http.checkObserved;
import static dev.tokenservice.hostile.Http.checkRow;
import static dev.tokenservice.hostile.Http.describe;
import static dev.tokenservice.hostile.Http.problem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tokenservice.Api;
import dev.tokenservice.Api.Tokens;
import dev.tokenservice.hostile.Http.Outcome;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Hostile requests, one row each: a request (or a short scenario ending in one) and what API.md says the answer is.
 * Every error must be {@code application/problem+json}; never a 500, never a hang, never a 200 where the contract
 * refuses.
 */
@QuarkusTest
@ExtendWith(RowReport.class)
class HostileRequestRowsTest {

    private static final String PASSWORD = Api.PASSWORD;

    /** Sends the row's request (after any set-up steps, which assert on their own) and returns the answer. */
    @FunctionalInterface
    interface Exchange {
        Response send() throws Exception;
    }

    /** What the answer must be. */
    @FunctionalInterface
    interface Expect {
        void check(Response response);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Timeout(120)
    void answersAsTheContractSays(String name, Exchange exchange, Expect expect) throws Exception {
        Response response = exchange.send();
        checkRow(name, response, () -> expect.check(response));
    }

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        malformedBodies(rows);
        contentTypes(rows);
        wrongTypes(rows);
        registration(rows);
        sizes(rows);
        injection(rows);
        lookAlikes(rows);
        longPasswords(rows);
        pathTricks(rows);
        queryToken(rows);
        enumeration(rows);
        return rows.stream();
    }

    private static void row(List<Arguments> rows, String name, Exchange exchange, Expect expect) {
        rows.add(Arguments.of(name, exchange, expect));
    }

    // ------------------------------------------------------------------------------------------------------------
    // expectations

    static Expect problemOf(Outcome... outcomes) {
        return response -> assertProblemAmong(response, outcomes);
    }

    /** 400 for a body that is not the JSON the endpoint takes. */
    static final Outcome BAD_INPUT = problem(400, "malformed-body", "invalid-input");
    static final Outcome UNAUTHORIZED = problem(401, "invalid-credentials");
    static final Outcome UNSUPPORTED = problem(415, "unsupported-media-type");
    static final Outcome TOO_LARGE = problem(413, "request-entity-too-large", "payload-too-large", "content-too-large");

    // ------------------------------------------------------------------------------------------------------------
    // bodies

    private static final String[] ENDPOINTS = { "/auth/register", "/auth/login" };

    private static void malformedBodies(List<Arguments> rows) {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("truncated JSON", "{\"username\":\"abc\",\"password\":\"correct ho");
        bodies.put("unterminated object", "{\"username\":\"" + "ttt-" + shortId() + "\",\"password\":\"" + PASSWORD + "\"");
        bodies.put("missing comma", "{\"username\":\"abc\" \"password\":\"" + PASSWORD + "\"}");
        bodies.put("single-quoted JSON", "{'username':'abc','password':'" + PASSWORD + "'}");
        bodies.put("form encoding in a JSON body", "username=abc&password=correct+horse+battery");
        bodies.put("trailing data after the object",
                "{\"username\":\"trl-" + shortId() + "\",\"password\":\"" + PASSWORD + "\"}}");
        bodies.put("a lone opening brace", "{");
        bodies.put("JSON null", "null");
        bodies.put("a bare string", "\"abc\"");
        bodies.put("an empty body", "");
        for (String endpoint : ENDPOINTS) {
            bodies.forEach((label, body) -> row(rows, endpoint + ": " + label,
                    () -> Http.postJson(endpoint, body), problemOf(BAD_INPUT)));
            row(rows, endpoint + ": invalid UTF-8 in the body", () -> {
                byte[] prefix = "{\"username\":\"ab".getBytes(StandardCharsets.US_ASCII);
                byte[] suffix = ("c\",\"password\":\"" + PASSWORD + "\"}").getBytes(StandardCharsets.US_ASCII);
                byte[] body = new byte[prefix.length + 2 + suffix.length];
                System.arraycopy(prefix, 0, body, 0, prefix.length);
                body[prefix.length] = (byte) 0xC3;
                body[prefix.length + 1] = (byte) 0x28;
                System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
                return Http.post(endpoint, "application/json", body);
            }, problemOf(BAD_INPUT));
        }
    }

    private static void contentTypes(List<Arguments> rows) {
        for (String endpoint : ENDPOINTS) {
            for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
                row(rows, endpoint + ": Content-Type " + type, () -> Http.raw("POST", endpoint,
                        List.of("Content-Type: " + type), Http.json(Map.of("username", "ct-" + shortId(),
                                "password", PASSWORD))),
                        problemOf(UNSUPPORTED));
            }
        }
    }

    private static void wrongTypes(List<Arguments> rows) {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("username as an array", "{\"username\":[\"abc\"],\"password\":\"" + PASSWORD + "\"}");
        bodies.put("username as an object", "{\"username\":{\"name\":\"abc\"},\"password\":\"" + PASSWORD + "\"}");
        bodies.put("username as a number", "{\"username\":12345,\"password\":\"" + PASSWORD + "\"}");
        bodies.put("username as a boolean", "{\"username\":true,\"password\":\"" + PASSWORD + "\"}");
        bodies.put("username as null", "{\"username\":null,\"password\":\"" + PASSWORD + "\"}");
        bodies.put("password as a number", "{\"username\":\"num-" + shortId() + "\",\"password\":12345678901}");
        bodies.put("password as an array", "{\"username\":\"arr-" + shortId() + "\",\"password\":[\"" + PASSWORD + "\"]}");
        bodies.put("password as an object", "{\"username\":\"obj-" + shortId() + "\",\"password\":{\"p\":\"" + PASSWORD
                + "\"}}");
        bodies.put("the body as an array", "[{\"username\":\"abc\",\"password\":\"" + PASSWORD + "\"}]");
        bodies.put("the body as a number", "42");
        for (String endpoint : ENDPOINTS) {
            bodies.forEach((label, body) -> row(rows, endpoint + ": " + label,
                    () -> Http.postJson(endpoint, body), problemOf(BAD_INPUT)));
        }
    }

    private static void registration(List<Arguments> rows) {
        row(rows, "/auth/register: \"roles\":[\"admin\"] is ignored", () -> {
            String username = "roles-" + shortId();
            Response response = Http.postJson("/auth/register",
                    Map.of("username", username, "password", PASSWORD, "roles", List.of("admin")));
            if (response.statusCode() == 201) {
                // the account is an ordinary user: its token does not reach the admin route
                Tokens tokens = Api.loginAs(username, PASSWORD);
                Response ping = Http.bearer(tokens.accessToken()).get("/api/admin/ping");
                checkObserved(ping, () -> assertProblemAmong(ping, problem(403, "forbidden")));
            }
            return response;
        }, response -> response.then().statusCode(201).body("roles", contains("user")));
        row(rows, "/auth/register: \"groups\":[\"admin\"] and \"id\" are ignored", () -> {
            String id = UUID.randomUUID().toString();
            Response response = Http.postJson("/auth/register", Map.of("username", "groups-" + shortId(),
                    "password", PASSWORD, "groups", List.of("admin"), "id", id));
            if (response.statusCode() == 201) {
                assertTrue(!id.equals(response.path("id")), "the client chose the account id");
            }
            return response;
        }, response -> response.then().statusCode(201).body("roles", contains("user")));
    }

    private static void sizes(List<Arguments> rows) {
        row(rows, "/auth/register: 20 MB body", () -> {
            byte[] body = ("{\"username\":\"big-" + shortId() + "\",\"password\":\"" + PASSWORD + "\",\"pad\":\""
                    + "a".repeat(20 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII);
            return Http.raw("POST", "/auth/register", List.of("Content-Type: application/json"), body);
        }, problemOf(TOO_LARGE));
        row(rows, "/auth/register: 1 MB username", () -> Http.postJson("/auth/register",
                Map.of("username", "u".repeat(1024 * 1024), "password", PASSWORD)), problemOf(BAD_INPUT, TOO_LARGE));
        row(rows, "/auth/login: 1 MB username", () -> Http.postJson("/auth/login",
                Map.of("username", "u".repeat(1024 * 1024), "password", PASSWORD)), problemOf(BAD_INPUT, TOO_LARGE));
    }

    // ------------------------------------------------------------------------------------------------------------
    // injection

    private static final List<String> SQL = List.of("' OR '1'='1", "admin'--", "'; DROP TABLE user_account; --",
            "\" OR \"\"=\"", "' UNION SELECT NULL--", "'; SELECT pg_sleep(10); --");

    private static void injection(List<Arguments> rows) {
        for (String sql : SQL) {
            row(rows, "/auth/register: SQL in the username: " + sql, () -> {
                String username = shortId() + sql;
                long started = System.nanoTime();
                Response response = Api.register(username, PASSWORD);
                assertTrue(System.nanoTime() - started < 5_000_000_000L, "the registration took over 5 s");
                if (response.statusCode() == 201) {
                    response.then().body("username", equalTo(username)).body("roles", contains("user"));
                    // stored literally: the same name is now taken, and logs in
                    Response again = Api.register(username, PASSWORD);
                    checkObserved(again, () -> assertProblemAmong(again, problem(409, "username-taken")));
                    Api.login(username, PASSWORD).then().statusCode(200);
                }
                return response;
            }, response -> {
                if (response.statusCode() == 201) {
                    return;
                }
                assertProblemAmong(response, problem(400, "invalid-input"));
            });
        }
        List<String[]> logins = List.of(
                new String[] { "' OR '1'='1", "' OR '1'='1" },
                new String[] { Api.ADMIN_USERNAME + "'--", "anything-at-all" },
                new String[] { Api.ADMIN_USERNAME + "' OR '1'='1", "' OR '1'='1" },
                new String[] { "' UNION SELECT NULL--", PASSWORD },
                new String[] { "'; SELECT pg_sleep(10); --", PASSWORD });
        for (String[] login : logins) {
            row(rows, "/auth/login: SQL as username " + login[0] + " with password " + login[1], () -> {
                long started = System.nanoTime();
                Response response = Http.postJson("/auth/login", Map.of("username", login[0], "password", login[1]));
                assertTrue(System.nanoTime() - started < 5_000_000_000L, "the login took over 5 s");
                return response;
            }, problemOf(UNAUTHORIZED));
        }
        row(rows, "/auth/register: CRLF in the username", () -> Api.register("crlf-" + shortId() + "\r\nX-Injected: 1",
                PASSWORD), problemOf(problem(400, "invalid-input")));
        row(rows, "/auth/register: lone CR in the username", () -> Api.register("cr-" + shortId() + "\rx", PASSWORD),
                problemOf(problem(400, "invalid-input")));
    }

    // ------------------------------------------------------------------------------------------------------------
    // accounts

    private static void lookAlikes(List<Arguments> rows) {
        Map<String, UnaryOperator<String>> variants = new LinkedHashMap<>();
        variants.put("upper case", name -> name.toUpperCase(Locale.ROOT));
        variants.put("fullwidth forms", HostileRequestRowsTest::fullwidth);
        variants.put("fullwidth upper case", name -> fullwidth(name.toUpperCase(Locale.ROOT)));
        variants.put("the ligature \uFB01 for fi", name -> name.replace("fi", "\uFB01"));
        variants.put("mathematical bold letters", name -> name.replace("fi", "\uD835\uDC1F\uD835\uDC22"));
        variants.forEach((label, variant) -> row(rows, "/auth/register: look-alike of an existing username ("
                + label + ")", () -> {
                    String username = "fi-" + shortId();
                    Api.register(username, PASSWORD).then().statusCode(201);
                    String lookAlike = variant.apply(username);
                    assertTrue(!lookAlike.equals(username), "the variant is the same text");
                    return Api.register(lookAlike, "another password");
                }, problemOf(problem(409, "username-taken"))));
    }

    private static void longPasswords(List<Arguments> rows) {
        String common = "p".repeat(72);
        String passwordA = common + "-A-tail";
        String passwordB = common + "-B-tail";
        row(rows, "/auth/login: password differing only after byte 72 (register A, log in with B)", () -> {
            String username = "long-" + shortId();
            Api.register(username, passwordA).then().statusCode(201);
            Response withB = Api.login(username, passwordB);
            Api.login(username, passwordA).then().statusCode(200);
            return withB;
        }, problemOf(UNAUTHORIZED));
        row(rows, "/auth/login: password over 72 bytes (register A, log in with A)", () -> {
            String username = "long-" + shortId();
            Api.register(username, passwordA).then().statusCode(201);
            return Api.login(username, passwordA);
        }, response -> response.then().statusCode(200).header("Cache-Control", "no-store"));
    }

    // ------------------------------------------------------------------------------------------------------------
    // routes

    private static final List<String> ADMIN_PATHS = List.of("//api/admin/ping", "/api/admin/ping;x", "/api/admin/ping/",
            "/api/%2e%2e/api/admin/ping", "/API/admin/ping", "/api/admin/ping%2f", "/api/admin/./ping",
            "/api/greeting/../admin/ping", "/api/admin/%70ing");

    private static void pathTricks(List<Arguments> rows) {
        Expect neverAdmin = problemOf(problem(401, "invalid-token", "unauthorized"), problem(403, "forbidden"),
                problem(404, "not-found"));
        for (String path : ADMIN_PATHS) {
            row(rows, "GET " + path + " with a user's token", () -> {
                Tokens user = Api.newSession();
                return Http.raw("GET", path, List.of("Authorization: Bearer " + user.accessToken()), null);
            }, neverAdmin);
            row(rows, "GET " + path + " without a token", () -> Http.raw("GET", path, List.of(), null), neverAdmin);
        }
    }

    private static void queryToken(List<Arguments> rows) {
        row(rows, "GET /api/greeting?access_token=<valid token> without a header", () -> {
            Tokens user = Api.newSession();
            return Http.request().queryParam("access_token", user.accessToken()).get("/api/greeting");
        }, problemOf(problem(401, "unauthorized", "invalid-token")));
        row(rows, "GET /api/admin/ping?access_token=<valid admin token> without a header", () -> {
            Tokens admin = Api.loginAs(Api.ADMIN_USERNAME, Api.ADMIN_PASSWORD);
            return Http.request().queryParam("access_token", admin.accessToken()).get("/api/admin/ping");
        }, problemOf(problem(401, "unauthorized", "invalid-token")));
    }

    // ------------------------------------------------------------------------------------------------------------
    // enumeration

    private static void enumeration(List<Arguments> rows) {
        Map<String, String> unknowns = new LinkedHashMap<>();
        unknowns.put("an unknown username", "nobody-" + shortId());
        unknowns.put("an unknown username too short to exist", "x");
        unknowns.put("an unknown username with a control character", "nobody\u0007" + shortId());
        unknowns.forEach((label, unknown) -> row(rows,
                "/auth/login: known user with a wrong password and " + label + " answer alike", () -> {
                    String known = "known-" + shortId();
                    Api.register(known, PASSWORD).then().statusCode(201);
                    Response wrongPassword = Http.postJson("/auth/login",
                            Map.of("username", known, "password", "wrong password!"));
                    Response unknownUser = Http.postJson("/auth/login",
                            Map.of("username", unknown, "password", "wrong password!"));
                    String both = "\nknown user, wrong password: " + describe(wrongPassword)
                            + "\nunknown user: " + describe(unknownUser);
                    assertEquals(wrongPassword.statusCode(), unknownUser.statusCode(), "status differs" + both);
                    assertEquals(wrongPassword.statusLine(), unknownUser.statusLine(), "status line differs" + both);
                    assertArrayEquals(wrongPassword.asByteArray(), unknownUser.asByteArray(), "body differs" + both);
                    assertEquals(headersWithoutDates(wrongPassword), headersWithoutDates(unknownUser),
                            "headers differ" + both);
                    return unknownUser;
                }, problemOf(UNAUTHORIZED)));
    }

    private static Map<String, List<String>> headersWithoutDates(Response response) {
        return response.headers().asList().stream()
                .filter(h -> !List.of("date", "expires", "last-modified", "age").contains(h.getName().toLowerCase(Locale.ROOT)))
                .collect(Collectors.groupingBy(h -> h.getName().toLowerCase(Locale.ROOT), TreeMap::new,
                        Collectors.mapping(h -> h.getValue(), Collectors.toList())));
    }

    // ------------------------------------------------------------------------------------------------------------

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String fullwidth(String ascii) {
        StringBuilder out = new StringBuilder();
        ascii.chars().forEach(c -> out.append(c >= 0x21 && c <= 0x7e ? (char) (c - 0x21 + 0xff01) : (char) c));
        return out.toString();
    }
}
