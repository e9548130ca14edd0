package dev.tokenservice.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.feed.FeedStream;
import dev.tokenservice.feed.FeedStream.Block;
import dev.tokenservice.feed.ShortFeedTimers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** When Redis holds another data set, the feed's consumers get a fresh snapshot: their ids mean nothing there. */
@QuarkusTest
@TestProfile(ShortFeedTimers.class)
class FeedResetTest {

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Inject
    RedisDataSource redis;

    @Test
    void aNewDataSetSendsConnectedConsumersAFreshSnapshot() throws Exception {
        try (FeedStream stream = FeedStream.openAtSnapshot(feed)) {
            redis.execute("DEL", RevocationMirror.GENERATION);

            Block snapshot = stream.nextEvent();
            assertEquals("snapshot", snapshot.event());
            assertEquals("0-0", snapshot.id(), "current to the start of the new data set's stream");
        }
    }
}
