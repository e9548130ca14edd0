package dev.tokenservice.feed;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.revocation.RevocationMirror.StreamId;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The text of the feed's Server-Sent Events, one JSON line of data each. */
final class FeedFormat {

    static final String RETRY = "retry: 1000\n\n";
    static final String HEARTBEAT = ": heartbeat\n\n";

    private final ObjectMapper json;

    FeedFormat(ObjectMapper json) {
        this.json = json;
    }

    String snapshot(StreamId id, List<Revocation> revocations) {
        return event(id, "snapshot", new Snapshot(revocations));
    }

    /** One event per revocation, all with the id of the stream entry that carried them. */
    String revocations(StreamId id, List<Revocation> revocations) {
        StringBuilder text = new StringBuilder();
        revocations.forEach(revocation -> text.append(event(id, "revocation", revocation)));
        return text.toString();
    }

    private String event(StreamId id, String name, Object data) {
        try {
            return "id: " + id + "\nevent: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feed event cannot be written as JSON", e);
        }
    }

    @RegisterForReflection
    record Snapshot(List<Revocation> revocations) {
    }
}
