package dev.tokenservice.client;

import static dev.tokenservice.Api.randomAddress;
import static dev.tokenservice.Api.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenservice.ClientFailures;
import dev.tokenservice.Concurrent;
import dev.tokenservice.SmallThrottleLimits;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** HTTP Basic client authentication against the test clients, with the small limits of the login throttle. */
@QuarkusTest
@TestProfile(SmallThrottleLimits.class)
class ClientAuthenticatorTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void forgetClientFailures() {
        ClientFailures.forget(redis);
    }

    @Inject
    ClientAuthenticator authenticator;

    @Test
    void aConfidentialClientAuthenticatesWithItsSecret() {
        RegisteredClient client = authenticator.authenticate(basic("orders-worker", "orders-worker-secret"),
                randomAddress());
        assertEquals("orders-worker", client.id());
        assertEquals(List.of("orders-api"), client.audiences());
        assertTrue(client.allows(GrantType.CLIENT_CREDENTIALS));
    }

    @Test
    void idAndSecretAreFormDecodedAndTheSchemeIsCaseInsensitive() {
        String header = "basic " + basic("gateway", "gateway-secret").substring("Basic ".length());
        assertEquals("gateway", authenticator.authenticate(header, randomAddress()).id());
        String encodedDash = basicRaw("gateway", "gateway%2Dsecret");
        assertEquals("gateway", authenticator.authenticate(encodedDash, randomAddress()).id());
    }

    @Test
    void wrongUnknownPublicAndMalformedCredentialsAreAllInvalidClient() {
        String address = randomAddress();
        List<String> headers = List.of(basic("gateway", "wrong"), basic("gateway", ""), basic("nobody", "x"),
                basic("web", ""), basic("web", "anything"), "Bearer abc", "Basic", "Basic !!!!",
                basicRaw("gateway", "%zz"), "Basic " + b64("no-colon"), "Basic " + b64(":secret"),
                "Basic " + "A".repeat(5000));
        for (String header : headers) {
            assertThrows(InvalidClientException.class, () -> authenticator.authenticate(header, address), header);
        }
        assertThrows(InvalidClientException.class, () -> authenticator.authenticate(null, address));
    }

    @Test
    void aClientIdIsLockedAfterTheLimitEvenWithTheRightSecret() {
        String id = "backend";
        for (int i = 0; i < 3; i++) {
            assertThrows(InvalidClientException.class,
                    () -> authenticator.authenticate(basic(id, "wrong"), randomAddress()));
        }
        TooManyClientAttemptsException locked = assertThrows(TooManyClientAttemptsException.class,
                () -> authenticator.authenticate(basic(id, "backend-secret"), randomAddress()));
        assertTrue(locked.retryAfterSeconds() > 0 && locked.retryAfterSeconds() <= 60);
    }

    @Test
    void rememberedCredentialsGoThroughTheCountersAgainOnceTheClientFails() {
        String right = basic("reporting", "reporting-secret");
        String address = randomAddress();
        assertEquals("reporting", authenticator.authenticate(right, address).id());
        assertEquals("reporting", authenticator.authenticate(right, address).id());
        for (int i = 0; i < 3; i++) {
            assertThrows(InvalidClientException.class,
                    () -> authenticator.authenticate(basic("reporting", "guess"), randomAddress()));
        }
        assertThrows(TooManyClientAttemptsException.class, () -> authenticator.authenticate(right, address));
    }

    @Test
    void oneAddressIsThrottledAcrossClientIds() {
        String address = randomAddress();
        for (int i = 0; i < 6; i++) {
            assertThrows(InvalidClientException.class,
                    () -> authenticator.authenticate(basic(randomId(), "guess"), address));
        }
        assertThrows(TooManyClientAttemptsException.class,
                () -> authenticator.authenticate(basic("gateway", "gateway-secret"), address));
        assertEquals("gateway", authenticator.authenticate(basic("gateway", "gateway-secret"), randomAddress()).id());
    }

    @Test
    void aConcurrentBurstOfGuessesGetsNoMoreSecretChecksThanTheLimit() {
        String id = randomId();
        List<Class<?>> outcomes = Concurrent.all(30, () -> outcome(() -> authenticator.authenticate(basic(id, "guess"),
                randomAddress())));
        long checked = outcomes.stream().filter(InvalidClientException.class::equals).count();
        long refused = outcomes.stream().filter(TooManyClientAttemptsException.class::equals).count();
        System.out.printf("30 concurrent client guesses: %d checked, %d refused%n", checked, refused);
        assertTrue(checked <= 3, checked + " secret checks for a limit of 3");
        assertEquals(30, checked + refused);
    }

    private static Class<?> outcome(Runnable attempt) {
        try {
            attempt.run();
            return Void.class;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static String basicRaw(String id, String secret) {
        return "Basic " + b64(id + ":" + secret);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String randomId() {
        return "client-" + UUID.randomUUID();
    }
}
