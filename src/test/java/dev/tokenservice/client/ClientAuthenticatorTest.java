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
    void aClientIdIsLockedFromTheGuessingAddressOnly() {
        String guesser = randomAddress();
        for (int i = 0; i < 3; i++) {
            assertThrows(InvalidClientException.class, () -> authenticator.authenticate(basic("backend", "wrong"),
                    guesser));
        }
        TooManyClientAttemptsException locked = assertThrows(TooManyClientAttemptsException.class,
                () -> authenticator.authenticate(basic("backend", "backend-secret"), guesser));
        assertTrue(locked.retryAfterSeconds() > 0 && locked.retryAfterSeconds() <= 60);
        assertEquals("backend", authenticator.authenticate(basic("backend", "backend-secret"), randomAddress()).id());
    }

    @Test
    void guessesFromElsewhereNeverLockOutTheRightSecret() {
        String right = basic("reporting", "reporting-secret");
        String address = randomAddress();
        assertEquals("reporting", authenticator.authenticate(right, address).id());
        String guesser = randomAddress();
        for (int i = 0; i < 10; i++) {
            assertThrows(RuntimeException.class, () -> authenticator.authenticate(basic("reporting", "guess"),
                    guesser));
            assertThrows(InvalidClientException.class, () -> authenticator.authenticate(basic("reporting", "guess"),
                    randomAddress()));
        }
        assertEquals("reporting", authenticator.authenticate(right, address).id());
        assertEquals("reporting", authenticator.authenticate(right, randomAddress()).id());
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
    void aConcurrentBurstOfGuessesFromOneAddressGetsNoMoreSecretChecksThanTheLimit() {
        String address = randomAddress();
        List<Class<?>> outcomes = Concurrent.all(30, () -> outcome(() -> authenticator.authenticate(
                basic("backend", "guess"), address)));
        long checked = outcomes.stream().filter(InvalidClientException.class::equals).count();
        long refused = outcomes.stream().filter(TooManyClientAttemptsException.class::equals).count();
        System.out.printf("30 concurrent guesses of one client's secret from one address: %d answered 401, "
                + "%d refused 429%n", checked, refused);
        assertEquals(3, checked, "the limit per client id and address");
        assertEquals(30, checked + refused);
    }

    @Test
    void concurrentRightSecretsAreNeverThrottled() {
        String address = randomAddress();
        assertThrows(InvalidClientException.class, () -> authenticator.authenticate(basic("gateway", "x"),
                randomAddress()));
        List<Class<?>> outcomes = Concurrent.all(50, () -> outcome(() -> authenticator.authenticate(
                basic("gateway", "gateway-secret"), address)));
        assertEquals(50, outcomes.stream().filter(Void.class::equals).count(), outcomes.toString());
    }

    @Test
    void anIdLongerThanAnyRegisteredOneIsRefusedBeforeAnythingIsCounted() {
        String address = randomAddress();
        for (int i = 0; i < 20; i++) {
            String id = "c".repeat(1500) + i;
            assertThrows(InvalidClientException.class, () -> authenticator.authenticate(basic(id, "x"), address));
        }
        assertEquals(0, redis.key().keys("auth:client-failures:*{" + address + "}*").size(),
                "no counter for refused-unread ids");
        assertEquals("gateway", authenticator.authenticate(basic("gateway", "gateway-secret"), address).id());
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

    /** An unknown id no longer than the registered ones, so that its failures count. */
    private static String randomId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
