package dev.tokenservice.token;

import static dev.tokenservice.Api.ADMIN_PASSWORD;
import static dev.tokenservice.Api.ADMIN_USERNAME;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.loginAs;
import static dev.tokenservice.Problems.assertInvalidToken;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.AdjustableClock;
import dev.tokenservice.key.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;

/** A holder of a key that stopped signing cannot mint fresh tokens with it, while its real tokens live on. */
@QuarkusTest
class SupersededKeyTest {

    @Inject
    SigningKeys keys;

    @Inject
    AdjustableClock clock;

    HostileTokens oldKey;

    @BeforeEach
    void captureTheActiveKeyAndRotate() {
        var active = keys.active();
        oldKey = new HostileTokens("token-service", active.kid(), active.privateKey(),
                keys.verificationKey(active.kid()).orElseThrow());
        bearer(loginAs(ADMIN_USERNAME, ADMIN_PASSWORD).accessToken()).post("/admin/keys/rotate")
                .then().statusCode(201);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void tokensSignedBeforeTheRotationStillVerify() {
        Instant issued = clock.instant().minusSeconds(60);
        greeting(oldKey.signed(HostileTokens.claims("token-service", issued, issued.plusSeconds(600))))
                .then().statusCode(200);
    }

    @Test
    void aTokenSignedAfterTheRotationIsRefused() {
        clock.advance(Duration.ofSeconds(10));
        Instant issued = clock.instant();
        assertInvalidToken(greeting(oldKey.signed(HostileTokens.claims("token-service", issued,
                issued.plusSeconds(600)))));
    }
}
