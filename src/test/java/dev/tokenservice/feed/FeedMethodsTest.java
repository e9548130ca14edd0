package dev.tokenservice.feed;

import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The feed is read with GET; another method gets the 405 problem any other path gives, credentials or not. */
@QuarkusTest
@TestProfile(ShortFeedTimers.class)
class FeedMethodsTest {

    @ParameterizedTest
    @ValueSource(strings = { "POST", "PUT", "DELETE" })
    void anotherMethodIsNotAllowed(String method) {
        assertProblem(given().request(method, "/oauth/revocations"), 405, "method-not-allowed")
                .header("Allow", "GET");
    }

    @ParameterizedTest
    @ValueSource(strings = { "POST", "PUT", "DELETE" })
    void anotherMethodIsNotAllowedForAClientEither(String method) {
        assertProblem(given().header("Authorization", FeedStream.basic(FeedStream.CLIENT, FeedStream.SECRET))
                .request(method, "/oauth/revocations"), 405, "method-not-allowed").header("Allow", "GET");
    }
}
