package dev.tokenservice.key;

import static dev.tokenservice.Api.ADMIN_PASSWORD;
import static dev.tokenservice.Api.ADMIN_USERNAME;
import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static dev.tokenservice.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class KeyRotationTest {

    @Inject
    AdjustableClock clock;

    @Inject
    SigningKeyRepository repository;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void rotationKeepsOldTokensValidUntilTheyExpire() throws Exception {
        Tokens before = newSession();
        String oldKid = TokenParts.header(before.accessToken()).getString("kid");

        String newKid = rotate("").then().statusCode(201).extract().path("kid");
        assertNotEquals(oldKid, newKid);

        Tokens after = loginAs(before.username(), PASSWORD);
        assertEquals(newKid, TokenParts.header(after.accessToken()).getString("kid"));
        greeting(before.accessToken()).then().statusCode(200);
        greeting(after.accessToken()).then().statusCode(200);
        given().get("/.well-known/jwks.json").then().body("keys.kid", hasItems(oldKid, newKid));

        clock.advance(Duration.ofMinutes(15).plusSeconds(6));
        given().get("/.well-known/jwks.json").then().body("keys.kid", not(hasItem(oldKid)));
    }

    @Test
    void emergencyRotationRefusesEveryTokenOfTheOldKey() throws Exception {
        Tokens before = newSession();
        String oldKid = TokenParts.header(before.accessToken()).getString("kid");

        String newKid = rotate("?retire=now").then().statusCode(201).extract().path("kid");

        assertInvalidToken(greeting(before.accessToken()));
        given().get("/.well-known/jwks.json").then().body("keys.kid", not(hasItem(oldKid)))
                .body("keys.kid", hasItem(newKid));
        Tokens after = loginAs(before.username(), PASSWORD);
        greeting(after.accessToken()).then().statusCode(200);
        refresh(before.refreshToken()).then().statusCode(200);
    }

    @Test
    void onlyTheSigningKeyAndTheNextKeyKeepTheirPrivateHalvesAndTheyAreEncrypted() {
        String newKid = rotate("").then().statusCode(201).extract().path("kid");

        Set<String> withPrivateHalf = QuarkusTransaction.requiringNew().call(() -> repository.listWithPrivateKey()
                .stream().filter(key -> SigningKeyCipher.isSealed(key.privateKey)).map(key -> key.kid)
                .collect(Collectors.toSet()));
        String next = QuarkusTransaction.requiringNew().call(() -> repository.findNext().kid);

        assertEquals(Set.of(newKid, next), withPrivateHalf);
    }

    @Test
    void onlyAdminsRotate() {
        Tokens user = newSession();
        assertProblem(bearer(user.accessToken()).post("/admin/keys/rotate"), 403, "forbidden");
        assertProblem(given().post("/admin/keys/rotate"), 401, "unauthorized");
    }

    @Test
    void unknownRetireValueIsBadRequest() {
        assertProblem(rotate("?retire=tomorrow"), 400, "bad-request");
    }

    private static Response rotate(String query) {
        Tokens admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD);
        return bearer(admin.accessToken()).post("/admin/keys/rotate" + query);
    }
}
