package dev.tokenservice.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.restassured.path.json.JsonPath;

/**
 * A consumer of the revocation feed, as another service would write it: the JDK HTTP client, the body read line by
 * line on a thread of its own, each blank-line-terminated block one {@link Block}.
 */
public final class FeedStream implements AutoCloseable {

    static final String CLIENT = "gateway";
    static final String SECRET = "gateway-secret";

    /** One block of lines: an event, a comment (heartbeat) or the retry field. {@code END} when the stream ended. */
    public record Block(String id, String event, String data, String comment, String retry) {

        static final Block END = new Block(null, null, null, null, null);

        public JsonPath json() {
            return new JsonPath(data);
        }
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Block> blocks = new LinkedBlockingQueue<>();
    private final Thread reader;

    private FeedStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::readBlocks, "feed-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static FeedStream open(URI uri, String lastEventId) throws IOException, InterruptedException {
        return open(uri, lastEventId, CLIENT);
    }

    /** Opens the feed as {@code client}, one of the test clients (their secrets are {@code <id>-secret}). */
    static FeedStream open(URI uri, String lastEventId, String client) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", basic(client, client + "-secret"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        return new FeedStream(response);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Opens the feed and reads its first two blocks: the retry field and the snapshot. */
    public static FeedStream openAtSnapshot(URI uri) throws IOException, InterruptedException {
        FeedStream stream = open(uri, null);
        assertEquals("1000", stream.next().retry());
        assertEquals("snapshot", stream.next().event());
        return stream;
    }

    public Block next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    public Block next(Duration timeout) throws InterruptedException {
        Block block = blocks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(block, "no block within " + timeout);
        return block;
    }

    /** The next event with a name, skipping heartbeats. */
    public Block nextEvent() throws InterruptedException {
        Block block;
        do {
            block = next();
        } while (block.event() == null && block != Block.END);
        return block;
    }

    /** The next event that revokes session {@code sid}, skipping any other; fails if the stream ends first. */
    public Block nextEventOfSession(UUID sid) throws InterruptedException {
        Block block;
        do {
            block = nextEvent();
            assertNotEquals(Block.END, block, "the stream ended before the revocation of session " + sid);
        } while (!sid.toString().equals(block.json().getString("sid")));
        return block;
    }

    private void readBlocks() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<String> fields = new ArrayList<>();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    blocks.add(parse(fields));
                    fields.clear();
                } else {
                    fields.add(line);
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
        blocks.add(Block.END);
    }

    private static Block parse(List<String> fields) {
        String id = null;
        String event = null;
        String data = null;
        String comment = null;
        String retry = null;
        for (String field : fields) {
            if (field.startsWith(": ")) {
                comment = field.substring(2);
            } else if (field.startsWith("id: ")) {
                id = field.substring(4);
            } else if (field.startsWith("event: ")) {
                event = field.substring(7);
            } else if (field.startsWith("data: ")) {
                data = field.substring(6);
            } else if (field.startsWith("retry: ")) {
                retry = field.substring(7);
            } else {
                throw new AssertionError("not a field of the feed's format: " + field);
            }
        }
        return new Block(id, event, data, comment, retry);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
        reader.interrupt();
    }
}
