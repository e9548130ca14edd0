package dev.tokenservice.event;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the security event log, newest first: a user's own recent events, and the admin's filtered pages. */
@ApplicationScoped
public class SecurityEventLog {

    private static final String COLUMNS = """
            select seq, id, occurred_at, type, user_id, username, session_id, client_id, address, user_agent,
                   cast(detail as text)
              from {h-schema}security_event
            """;
    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };

    private final EntityManager entityManager;
    private final ObjectMapper json;

    public SecurityEventLog(EntityManager entityManager, ObjectMapper json) {
        this.entityManager = entityManager;
        this.json = json;
    }

    /** The user's newest events, at most {@code limit}. */
    @Transactional
    public List<SecurityEvent> recentOf(UUID userId, int limit) {
        return rows(entityManager.createNativeQuery(COLUMNS + " where user_id = :user order by seq desc limit :limit",
                Object[].class)
                .setParameter("user", userId)
                .setParameter("limit", limit));
    }

    /** Up to {@code query.limit() + 1} events that match, newest first: the one past the limit tells there are more. */
    @Transactional
    public List<SecurityEvent> find(EventQuery query) {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" where true");
        if (query.canonicalUsername() != null) {
            sql.append(" and user_id = (select a.id from {h-schema}user_account a"
                    + " where a.username_canonical = :canonical)");
        }
        if (query.type() != null) {
            sql.append(" and type = :type");
        }
        if (query.since() != null) {
            sql.append(" and occurred_at >= :since");
        }
        if (query.beforeSeq() > 0) {
            sql.append(" and seq < :before");
        }
        Query select = entityManager.createNativeQuery(sql.append(" order by seq desc limit :limit").toString(),
                Object[].class).setParameter("limit", query.limit() + 1);
        if (query.canonicalUsername() != null) {
            select.setParameter("canonical", query.canonicalUsername());
        }
        if (query.type() != null) {
            select.setParameter("type", query.type().wire());
        }
        if (query.since() != null) {
            select.setParameter("since", query.since());
        }
        if (query.beforeSeq() > 0) {
            select.setParameter("before", query.beforeSeq());
        }
        return rows(select);
    }

    @SuppressWarnings("unchecked")
    private List<SecurityEvent> rows(Query query) {
        return ((List<Object[]>) query.getResultList()).stream().map(this::event).toList();
    }

    private SecurityEvent event(Object[] row) {
        return new SecurityEvent(((Number) row[0]).longValue(), uuid(row[1]), instant(row[2]), (String) row[3],
                uuid(row[4]), (String) row[5], uuid(row[6]), (String) row[7], (String) row[8], (String) row[9],
                detail((String) row[10]));
    }

    private Map<String, Object> detail(String text) {
        try {
            return json.readValue(text, DETAIL);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a security event's detail is not a JSON object", e);
        }
    }

    private static UUID uuid(Object value) {
        return value == null || value instanceof UUID ? (UUID) value : UUID.fromString(value.toString());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("not a time: " + value.getClass());
    }
}
