package dev.tokenservice.event;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The stored rows, read past the API: counts by column, and whole rows as text. */
@ApplicationScoped
public class EventRows {

    private final EntityManager entityManager;

    public EventRows(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Events of a type whose {@code column} (a column name of this test's choosing) has the value. */
    @Transactional
    public long count(String type, String column, String value) {
        return ((Number) entityManager.createNativeQuery("select count(*) from {h-schema}security_event"
                        + " where type = :type and cast(" + column + " as text) = :value")
                .setParameter("type", type)
                .setParameter("value", value)
                .getSingleResult()).longValue();
    }

    /** The detail of the newest such event, as JSON text. */
    @Transactional
    public String newestDetail(String type, String column, String value) {
        return (String) entityManager.createNativeQuery("select cast(detail as text) from {h-schema}security_event"
                        + " where type = :type and cast(" + column + " as text) = :value order by seq desc limit 1")
                .setParameter("type", type)
                .setParameter("value", value)
                .getSingleResult();
    }

    /** Every event row of a user, each as the text of the whole row. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<String> rowsOf(String userId) {
        return entityManager.createNativeQuery("select cast(e as text) from {h-schema}security_event e"
                        + " where cast(user_id as text) = :user", String.class)
                .setParameter("user", userId)
                .getResultList();
    }
}
