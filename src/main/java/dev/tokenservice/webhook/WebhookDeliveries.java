package dev.tokenservice.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** The outbox's rows: queued with an event, sent from under the endpoint's lock, deleted once delivered. */
@ApplicationScoped
public class WebhookDeliveries {

    private static final String ENSURE = """
            insert into {h-schema}webhook_endpoint (name) values (:name) on conflict do nothing
            """;
    private static final String QUEUE = """
            insert into {h-schema}webhook_delivery (endpoint, event_id, event_seq, event_time, payload)
            values (:endpoint, :eventId, :seq, :time, :payload)
            """;
    private static final String LOCK = """
            select name from {h-schema}webhook_endpoint where name = :name for update skip locked
            """;
    private static final String COUNT = """
            select count(*) filter (where state = 'pending'), count(*)
              from {h-schema}webhook_delivery where endpoint = :endpoint
            """;
    /** Drops the oldest failed, then the oldest pending deliveries beyond the bound; counts what went of each. */
    private static final String TRIM = """
            with doomed as (
                select id from {h-schema}webhook_delivery where endpoint = :endpoint
                 order by state = 'failed' desc, id limit :excess),
            gone as (
                delete from {h-schema}webhook_delivery d using doomed where d.id = doomed.id returning d.state)
            select count(*) from gone
            """;
    private static final String HEADS = """
            select id, cast(event_id as text), cast(extract(epoch from event_time) * 1000 as bigint), payload,
                   attempts, cast(extract(epoch from next_attempt_at) * 1000 as bigint)
              from {h-schema}webhook_delivery where endpoint = :endpoint and state = 'pending'
             order by id limit :limit
            """;
    private static final String DELETE = "delete from {h-schema}webhook_delivery where id = :id";
    private static final String RETRY = """
            update {h-schema}webhook_delivery
               set attempts = :attempts, next_attempt_at = :next, last_attempt_at = :now, last_status = :status
             where id = :id
            """;
    private static final String FAIL = """
            update {h-schema}webhook_delivery
               set state = 'failed', attempts = :attempts, last_attempt_at = :now, last_status = :status
             where id = :id
            """;

    private final EntityManager entityManager;

    public WebhookDeliveries(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** One pending delivery, as the courier reads it. */
    record Delivery(long id, UUID eventId, Instant eventTime, String payload, int attempts, Instant nextAttemptAt) {
    }

    /** Pending and all (pending and failed) deliveries of an endpoint. */
    record Counts(long pending, long total) {
    }

    void ensure(String endpoint) {
        entityManager.createNativeQuery(ENSURE).setParameter("name", endpoint).executeUpdate();
    }

    /** Queues a delivery in the caller's transaction. */
    void queue(String endpoint, UUID eventId, long seq, Instant time, String payload) {
        entityManager.createNativeQuery(QUEUE)
                .setParameter("endpoint", endpoint)
                .setParameter("eventId", eventId)
                .setParameter("seq", seq)
                .setParameter("time", time)
                .setParameter("payload", payload)
                .executeUpdate();
    }

    /** Takes the endpoint's lock until the transaction ends; false when another node holds it. */
    boolean lock(String endpoint) {
        return !entityManager.createNativeQuery(LOCK).setParameter("name", endpoint).getResultList().isEmpty();
    }

    Counts count(String endpoint) {
        Object[] row = (Object[]) entityManager.createNativeQuery(COUNT).setParameter("endpoint", endpoint)
                .getSingleResult();
        return new Counts(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    /** Deletes {@code excess} deliveries, oldest failed first; returns how many went. */
    long trim(String endpoint, long excess) {
        return ((Number) entityManager.createNativeQuery(TRIM).setParameter("endpoint", endpoint)
                .setParameter("excess", excess).getSingleResult()).longValue();
    }

    /** The endpoint's oldest pending deliveries, in order. */
    List<Delivery> heads(String endpoint, int limit) {
        List<?> rows = entityManager.createNativeQuery(HEADS).setParameter("endpoint", endpoint)
                .setParameter("limit", limit).getResultList();
        return rows.stream().map(Object[].class::cast).map(WebhookDeliveries::delivery).toList();
    }

    void delivered(long id) {
        entityManager.createNativeQuery(DELETE).setParameter("id", id).executeUpdate();
    }

    void retry(long id, int attempts, Instant now, Instant next, String status) {
        entityManager.createNativeQuery(RETRY).setParameter("id", id).setParameter("attempts", attempts)
                .setParameter("now", now).setParameter("next", next).setParameter("status", status)
                .executeUpdate();
    }

    void fail(long id, int attempts, Instant now, String status) {
        entityManager.createNativeQuery(FAIL).setParameter("id", id).setParameter("attempts", attempts)
                .setParameter("now", now).setParameter("status", status).executeUpdate();
    }

    private static Delivery delivery(Object[] row) {
        return new Delivery(((Number) row[0]).longValue(), UUID.fromString((String) row[1]),
                Instant.ofEpochMilli(((Number) row[2]).longValue()), (String) row[3], ((Number) row[4]).intValue(),
                Instant.ofEpochMilli(((Number) row[5]).longValue()));
    }
}
