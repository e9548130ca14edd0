package dev.tokenservice.webhook;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.event.SecurityEvent;

/**
 * The body of a delivery, in the Standard Webhooks shape: {@code {"type", "timestamp", "data"}} with the event's
 * fields in {@code data}, names in snake case, fields that do not apply as null.
 */
@ApplicationScoped
public class WebhookPayload {

    private final ObjectMapper mapper;

    public WebhookPayload(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The JSON body for this event; the same bytes on every attempt. */
    String of(SecurityEvent event) {
        String time = DateTimeFormatter.ISO_INSTANT.format(event.time());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", event.id().toString());
        data.put("type", event.type());
        data.put("time", time);
        data.put("user_id", text(event.userId()));
        data.put("username", event.username());
        data.put("session_id", text(event.sessionId()));
        data.put("client_id", event.clientId());
        data.put("address", event.address());
        data.put("user_agent", event.userAgent());
        data.put("detail", event.detail() == null ? Map.of() : event.detail());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type());
        body.put("timestamp", time);
        body.put("data", data);
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event's detail is not serialisable as JSON", e);
        }
    }

    /** {@code webhook-id}: the event's id, so a receiver recognises a delivery it has already had. */
    static String messageId(UUID eventId) {
        return "msg_" + eventId;
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }
}
