package dev.tokenservice.feed;

import static dev.tokenservice.Api.ADMIN_PASSWORD;
import static dev.tokenservice.Api.ADMIN_USERNAME;
import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.loginAs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.TokenParts;
import dev.tokenservice.feed.FeedStream.Block;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A key retired at once reaches consumers as a key event, and stays in every snapshot until its tokens expire. */
@QuarkusTest
@TestProfile(ShortFeedTimers.class)
public class FeedKeyRetirementTest {

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Test
    void aKeyRetiredAtOnceArrivesAsAKeyEventAndIsInLaterSnapshots() throws Exception {
        String admin = loginAs(ADMIN_USERNAME, ADMIN_PASSWORD).accessToken();
        String oldKid = TokenParts.header(admin).getString("kid");
        long lastTokenExpiry = Instant.now().plusSeconds(15 * 60 + 5).getEpochSecond();

        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            bearer(admin).post("/admin/keys/rotate?retire=now").then().statusCode(201);

            Block key = nextKeyEvent(stream, oldKid);
            long exp = key.json().getLong("exp");
            assertTrue(Math.abs(exp - lastTokenExpiry) <= 5, "the last token it signed expires then: " + exp);
        }

        try (FeedStream stream = FeedStream.open(feed, null)) {
            stream.next();
            List<Map<String, Object>> revocations = stream.next().json().getList("revocations");
            assertEquals("key", FeedSnapshotTest.find(revocations, "kid", oldKid).get("type"));
        }
    }

    /** The key event of {@code kid}; keys that earlier rotations superseded, still verifying, are retired with it. */
    public static Block nextKeyEvent(FeedStream stream, String kid) throws InterruptedException {
        Block key;
        do {
            key = stream.nextEvent();
            assertEquals("revocation", key.event());
            assertEquals("key", key.json().getString("type"));
        } while (!kid.equals(key.json().getString("kid")));
        return key;
    }
}
