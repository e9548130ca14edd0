package dev.tokenservice.token;

import static dev.tokenservice.Api.greeting;
import static dev.tokenservice.Api.newSession;
import static dev.tokenservice.Api.refresh;
import static dev.tokenservice.Problems.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.time.Instant;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.key.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HostileTokensTest {

    @Inject
    SigningKeys keys;

    HostileTokens hostile;
    Tokens genuine;

    @BeforeEach
    void setUp() {
        var active = keys.active();
        PublicKey publicKey = keys.verificationKey(active.kid()).orElseThrow();
        hostile = new HostileTokens("token-service", active.kid(), active.privateKey(), publicKey);
        genuine = newSession();
    }

    @Test
    void genuineTokenIsAccepted() {
        greeting(genuine.accessToken()).then().statusCode(200);
        greeting(hostile.signed(hostile.validClaims())).then().statusCode(200);
    }

    @Test
    void algNone() {
        assertInvalidToken(greeting(hostile.algNone()));
    }

    @Test
    void hmacKeyedWithThePublicKey() {
        assertInvalidToken(greeting(hostile.hmacWithPublicKey()));
    }

    @Test
    void payloadEditedUnderTheOriginalSignature() {
        assertInvalidToken(greeting(hostile.editedPayload(genuine.accessToken())));
    }

    @Test
    void wrongIssuer() {
        Instant now = Instant.now();
        assertInvalidToken(greeting(hostile.signed(HostileTokens.claims("someone-else", now, now.plusSeconds(600)))));
    }

    @Test
    void expired() {
        Instant now = Instant.now();
        assertInvalidToken(greeting(hostile.signed(
                HostileTokens.claims("token-service", now.minusSeconds(1200), now.minusSeconds(300)))));
    }

    @Test
    void issuedInTheFutureBeyondTheSkew() {
        Instant now = Instant.now();
        assertInvalidToken(greeting(hostile.signed(
                HostileTokens.claims("token-service", now.plusSeconds(120), now.plusSeconds(900)))));
    }

    @Test
    void missingRequiredClaims() {
        for (String claim : new String[] { "jti", "sub", "sid", "exp", "iat", "aud", "client_id" }) {
            JwtClaims claims = hostile.validClaims();
            claims.unsetClaim(claim);
            assertInvalidToken(greeting(hostile.signed(claims)));
        }
    }

    @Test
    void anotherAudience() {
        JwtClaims claims = hostile.validClaims();
        claims.setAudience("orders-api", "billing");
        assertInvalidToken(greeting(hostile.signed(claims)));
    }

    @Test
    void aTokenWithoutSessionIsAClientsOwnOnlyWhenItsSubjectIsTheClient() {
        JwtClaims claims = hostile.validClaims();
        claims.unsetClaim("sid");
        assertInvalidToken(greeting(hostile.signed(claims)));
        claims.setSubject("web");
        greeting(hostile.signed(claims)).then().statusCode(200);
    }

    @Test
    void lifetimeLongerThanTheServiceIssues() {
        Instant now = Instant.now();
        assertInvalidToken(greeting(hostile.signed(
                HostileTokens.claims("token-service", now, now.plusSeconds(86_400)))));
    }

    @Test
    void wrongType() {
        assertInvalidToken(greeting(hostile.signedWithType("JWT")));
    }

    @Test
    void unknownKid() {
        assertInvalidToken(greeting(hostile.unknownKid()));
    }

    @Test
    void embeddedJwkHeader() {
        assertInvalidToken(greeting(hostile.embeddedJwk()));
    }

    @Test
    void zeroEcdsaSignature() {
        assertInvalidToken(greeting(hostile.zeroSignature(genuine.accessToken())));
    }

    @Test
    void refreshTokenAsBearer() {
        assertInvalidToken(greeting(genuine.refreshToken()));
    }

    @Test
    void accessTokenAtRefresh() {
        assertInvalidToken(refresh(genuine.accessToken()));
    }

    @Test
    void sixteenKibToken() {
        JwtClaims claims = hostile.validClaims();
        claims.setClaim("padding", "x".repeat(12_000));
        String token = hostile.signed(claims);
        assertTrue(token.length() > 16 * 1024 && token.length() < 17 * 1024, "length " + token.length());
        assertInvalidToken(greeting(token));
    }

    @Test
    void garbage() {
        assertInvalidToken(greeting("not-a-token"));
        assertInvalidToken(greeting("a.b.c.d"));
        assertInvalidToken(greeting("%%%.###.$$$"));
        assertInvalidToken(greeting("a.b.c"));
        assertInvalidToken(greeting("ab.cd.e"));
    }
}
