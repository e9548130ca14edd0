package dev.tokenservice.account;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.json;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static dev.tokenservice.Problems.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RegisterTest {

    @Test
    void registersWithRoleUser() {
        String username = randomUsername();
        register(username, PASSWORD).then()
                .statusCode(201)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("username", equalTo(username))
                .body("roles", contains("user"))
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("password_hash")));
    }

    @Test
    void ignoresRolesInTheRequest() {
        String username = randomUsername();
        json().body(Map.of("username", username, "password", PASSWORD, "roles", new String[] { "admin" }))
                .post("/auth/register").then()
                .statusCode(201)
                .body("roles", contains("user"));
    }

    @Test
    void takenUsernameIsConflict() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        assertProblem(register(username, "another password"), 409, "username-taken");
    }

    @Test
    void caseAndFullwidthVariantsAreTheSameAccount() {
        String username = randomUsername();
        register(username, PASSWORD).then().statusCode(201);
        assertProblem(register(username.toUpperCase(), PASSWORD), 409, "username-taken");
        assertProblem(register(fullwidth(username), PASSWORD), 409, "username-taken");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ab", "bad\u0000name", "bad\nname", "bad\u200bname", " padded ", "bad\u0007name" })
    void rejectsUnacceptableUsernames(String username) {
        assertProblem(register(username, PASSWORD), 400, "invalid-input");
    }

    @Test
    void rejectsShortAndOversizedPasswords() {
        assertProblem(register(randomUsername(), "short"), 400, "invalid-input");
        assertProblem(register(randomUsername(), "p".repeat(1025)), 400, "invalid-input");
    }

    @Test
    void rejectsMissingFields() {
        assertProblem(json().body(Map.of("username", randomUsername())).post("/auth/register"), 400, "invalid-input");
        assertProblem(json().post("/auth/register"), 400, "invalid-input");
    }

    @Test
    void rejectsMalformedAndMistypedJson() {
        assertProblem(json().body("{\"username\":").post("/auth/register"), 400, "malformed-body");
        assertProblem(json().body("{\"username\":[\"a\"],\"password\":\"" + PASSWORD + "\"}").post("/auth/register"),
                400, "malformed-body");
        assertProblem(json().body("{\"username\":12345,\"password\":\"" + PASSWORD + "\"}").post("/auth/register"),
                400, "malformed-body");
        assertProblem(json().body("[]").post("/auth/register"), 400, "malformed-body");
    }

    private static String fullwidth(String ascii) {
        StringBuilder out = new StringBuilder();
        ascii.chars().forEach(c -> out.append(c >= 0x21 && c <= 0x7e ? (char) (c - 0x21 + 0xff01) : (char) c));
        return out.toString();
    }
}
