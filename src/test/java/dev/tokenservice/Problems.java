package dev.tokenservice;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {

    private Problems() {
    }

    public static ValidatableResponse assertProblem(Response response, int status, String typeSuffix) {
        return response.then()
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:token-service:problem:" + typeSuffix))
                .body("status", equalTo(status))
                .body("title", not(equalTo(null)))
                .body("detail", not(equalTo(null)))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    /** A 401 for a presented token: problem body and {@code WWW-Authenticate: Bearer ... error="invalid_token"}. */
    public static ValidatableResponse assertInvalidToken(Response response) {
        return assertProblem(response, 401, "invalid-token")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }
}
