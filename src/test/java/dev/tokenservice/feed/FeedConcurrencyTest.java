package dev.tokenservice.feed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tokenservice.feed.FeedStream.Block;
import dev.tokenservice.revocation.RevocationStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Consumers that connect while revocations pour in miss none: what is not in their snapshot follows as events. */
@QuarkusTest
@TestProfile(ShortFeedTimers.class)
class FeedConcurrencyTest {

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Inject
    RevocationStore store;

    @Test
    void consumersConnectingDuringABurstOfRevocationsGetEveryOne() throws Exception {
        List<String> sids = IntStream.range(0, 300).mapToObj(i -> UUID.randomUUID().toString()).toList();
        Thread writer = new Thread(() -> sids.forEach(sid -> store.revokeSessions(List.of(UUID.fromString(sid)))));
        List<FeedStream> streams = new ArrayList<>();
        try {
            writer.start();
            while (writer.isAlive() && streams.size() < 8) {
                streams.add(FeedStream.open(feed, null));
            }
            writer.join();
            streams.add(FeedStream.open(feed, null));
            for (FeedStream stream : streams) {
                assertSeesAll(stream, sids);
            }
        } finally {
            for (FeedStream stream : streams) {
                stream.close();
            }
        }
        assertTrue(streams.size() > 2, "several consumers connected during the burst: " + streams.size());
    }

    private static void assertSeesAll(FeedStream stream, List<String> sids) throws InterruptedException {
        Set<String> seen = new HashSet<>();
        while (!seen.containsAll(sids)) {
            Block block = stream.nextEvent();
            assertTrue(block != Block.END, "the stream ended with " + seen.size() + " seen");
            if ("snapshot".equals(block.event())) {
                seen.addAll(block.json().getList("revocations.sid", String.class));
            } else {
                seen.add(block.json().getString("sid"));
            }
        }
    }
}
