package dev.tokenservice.webhook;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.tokenservice.event.SecurityEvent;

/** The default test configuration has no webhook: events queue nothing. */
@QuarkusTest
class NoWebhooksTest {

    @Test
    void withoutWebhooksNothingIsQueued() {
        SecurityEvent event = TestEvents.event("login.succeeded");
        TestEvents.commit(event);
        assertTrue(TestEvents.rows(event.id()).isEmpty());
    }
}
