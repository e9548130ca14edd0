package dev.tokenservice.key;

import static dev.tokenservice.Api.ADMIN_PASSWORD;
import static dev.tokenservice.Api.ADMIN_USERNAME;
import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** A consumer that cached the JWKS knows the key of every token it meets: keys are published before they sign. */
@QuarkusTest
class JwksPrePublicationTest {

    @Inject
    SigningKeyRepository repository;

    @Inject
    SigningKeys keys;

    @Test
    void consumersMayCacheTheJwksForItsMaxAge() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", "public, max-age=300");
    }

    @Test
    void theJwksHoldsTheNextKeyBeforeItSigns() {
        Tokens session = newSession();
        String signing = kidOf(session.accessToken());
        String next = nextKid();

        List<String> published = publishedKids();

        assertNotEquals(signing, next);
        assertTrue(published.containsAll(List.of(signing, next)), published.toString());
        assertEquals(signing, kidOf(loginAs(session.username(), PASSWORD).accessToken()), "the next key does not sign");
    }

    @Test
    void aRotationsNewKidWasInTheJwksFetchedBeforeIt() {
        Tokens session = newSession();
        List<String> cached = publishedKids();

        String rotated = rotate();

        assertTrue(cached.contains(rotated), "a consumer's cached JWKS already holds " + rotated);
        assertEquals(rotated, kidOf(loginAs(session.username(), PASSWORD).accessToken()),
                "new tokens are signed with the new key");
        String newNext = nextKid();
        assertFalse(cached.contains(newNext));
        assertTrue(publishedKids().contains(newNext), "the rotation published a new next key");
    }

    @Test
    void rotationsInARowStillSignWithTheKidTheyAnswer() {
        Tokens session = newSession();

        String first = rotate();
        String second = rotate();

        assertNotEquals(first, second);
        assertEquals(second, kidOf(loginAs(session.username(), PASSWORD).accessToken()));
        assertEquals(second, keys.active().kid());
    }

    private String nextKid() {
        return QuarkusTransaction.requiringNew().call(() -> repository.findNext().kid);
    }

    private static List<String> publishedKids() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys.kid");
    }

    private static String kidOf(String token) {
        return TokenParts.header(token).getString("kid");
    }

    private static String rotate() {
        String admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD).accessToken();
        return bearer(admin).post("/admin/keys/rotate").then().statusCode(201).extract().path("kid");
    }
}
