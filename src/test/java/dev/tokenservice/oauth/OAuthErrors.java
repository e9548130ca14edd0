package dev.tokenservice.oauth;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** Assertions on RFC 6749 §5.2 error responses. */
final class OAuthErrors {

    private OAuthErrors() {
    }

    static ValidatableResponse assertOAuthError(Response response, int status, String error) {
        return response.then()
                .statusCode(status)
                .contentType(startsWith("application/json"))
                .header("Cache-Control", "no-store")
                .body("error", equalTo(error))
                .body("error_description", not(equalTo(null)))
                .body(not(containsString("Exception")));
    }

    static ValidatableResponse assertInvalidClient(Response response) {
        return assertOAuthError(response, 401, "invalid_client")
                .header("WWW-Authenticate", equalTo("Basic realm=\"token-service\""));
    }
}
