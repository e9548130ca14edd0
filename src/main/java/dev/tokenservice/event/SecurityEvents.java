package dev.tokenservice.event;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tokenservice.session.SessionOrigin;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Writes the security event log. An event that records a change is written in the change's transaction
 * ({@link #record}), so it exists if and only if the change committed; one that records an attempt that changed
 * nothing in PostgreSQL (a failed login, a lockout) gets a short transaction of its own ({@link #recordAlone}).
 * Every row is followed, in its transaction, by a synchronous {@link SecurityEventWritten}.
 */
@ApplicationScoped
public class SecurityEvents {

    /** One statement: the session's user and client, and the account's id or name, are looked up by key. */
    private static final String INSERT = """
            insert into {h-schema}security_event
                   (id, occurred_at, type, user_id, username, session_id, client_id, address, user_agent, detail)
            select :id, :at, :type, t.user_id,
                   coalesce(cast(:username as varchar),
                            (select u.username from {h-schema}user_account u where u.id = t.user_id)),
                   cast(:session as uuid), coalesce(cast(:client as varchar), t.client_id),
                   cast(:address as varchar), cast(:agent as varchar), cast(:detail as jsonb)
              from (select coalesce(cast(:user as uuid), s.user_id,
                                    (select a.id from {h-schema}user_account a
                                      where a.username_canonical = cast(:canonical as varchar))) as user_id,
                           s.client_id
                      from (select 1) one
                      left join {h-schema}auth_session s on s.id = cast(:session as uuid)) t
            returning seq, user_id, username, client_id
            """;

    private final EntityManager entityManager;
    private final Event<SecurityEventWritten> written;
    private final RequestOrigin origin;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Clock clock;

    public SecurityEvents(EntityManager entityManager, Event<SecurityEventWritten> written, RequestOrigin origin,
            ObjectMapper json, MeterRegistry registry, Clock clock) {
        this.entityManager = entityManager;
        this.written = written;
        this.origin = origin;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
    }

    /** Writes the event in the caller's transaction, which must be the one of the change it records. */
    @Transactional(Transactional.TxType.MANDATORY)
    public SecurityEvent record(NewSecurityEvent event) {
        NewSecurityEvent complete = origin.complete(event);
        UUID id = UUID.randomUUID();
        // PostgreSQL keeps microseconds: the event handed to observers has the time the row has
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Object[] row = (Object[]) entityManager.createNativeQuery(INSERT, Object[].class)
                .setParameter("id", id)
                .setParameter("at", now)
                .setParameter("type", complete.type().wire())
                .setParameter("user", complete.userId())
                .setParameter("username", complete.username())
                .setParameter("canonical", complete.canonicalUsername())
                .setParameter("session", complete.sessionId())
                .setParameter("client", complete.clientId())
                .setParameter("address", complete.address())
                .setParameter("agent", SessionOrigin.device(complete.userAgent()))
                .setParameter("detail", detailJson(complete))
                .getSingleResult();
        SecurityEvent recorded = new SecurityEvent(((Number) row[0]).longValue(), id, now, complete.type().wire(),
                uuid(row[1]), (String) row[2], complete.sessionId(), (String) row[3], complete.address(),
                SessionOrigin.device(complete.userAgent()), complete.detail());
        written.fire(new SecurityEventWritten(recorded));
        return recorded;
    }

    /**
     * Writes an event that records no change, in a transaction of its own. A failure to write it is logged, not
     * thrown: the answer to the request it records does not depend on it.
     */
    public void recordAlone(NewSecurityEvent event) {
        NewSecurityEvent complete = origin.complete(event);
        try {
            QuarkusTransaction.requiringNew().run(() -> record(complete));
        } catch (RuntimeException e) {
            Log.warnf("could not write a %s security event: %s", event.type().wire(), e.getMessage());
        }
    }

    /** Counts the events that committed, by type. */
    void count(@Observes(during = TransactionPhase.AFTER_SUCCESS) SecurityEventWritten event) {
        registry.counter("security.events", "type", event.event().type()).increment();
    }

    private String detailJson(NewSecurityEvent event) {
        try {
            return json.writeValueAsString(event.detail());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a security event's detail is strings, numbers and booleans", e);
        }
    }

    private static UUID uuid(Object value) {
        return value == null || value instanceof UUID ? (UUID) value : UUID.fromString(value.toString());
    }
}
