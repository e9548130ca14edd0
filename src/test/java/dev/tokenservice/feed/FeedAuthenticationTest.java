package dev.tokenservice.feed;

import static dev.tokenservice.feed.FeedStream.basic;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/** Only confidential clients read the feed; anything else gets the RFC 6749 invalid_client answer. */
@QuarkusTest
@TestProfile(ShortFeedTimers.class)
class FeedAuthenticationTest {

    @Test
    void withoutCredentials() {
        assertInvalidClient(given());
    }

    @Test
    void withAWrongSecret() {
        assertInvalidClient(given().header("Authorization", basic(FeedStream.CLIENT, "not-the-secret")));
    }

    @Test
    void asAPublicClient() {
        assertInvalidClient(given().header("Authorization", basic("mobile", "")));
    }

    @Test
    void withABearerToken() {
        assertInvalidClient(given().header("Authorization", "Bearer abc.def.ghi"));
    }

    private static void assertInvalidClient(RequestSpecification request) {
        request.accept("text/event-stream").get("/oauth/revocations").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"token-service\"")
                .header("Cache-Control", "no-store")
                .contentType("application/json")
                .body("error", equalTo("invalid_client"));
    }
}
