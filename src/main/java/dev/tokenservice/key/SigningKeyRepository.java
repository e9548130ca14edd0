package dev.tokenservice.key;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/**
 * The signing keys in PostgreSQL. Its queries are SQL rather than HQL: they run while a node starts, and the
 * first HQL statement a JVM parses pays for warming Hibernate's query parser, which
 * {@link dev.tokenservice.ops.QueryParserWarmUp} does off the start's path instead.
 */
@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKey, String> {

    private static final String KEYS = "select * from {h-schema}signing_key where ";

    /** Keys that may have signed a live token at {@code now}, newest first. */
    public List<SigningKey> listLive(Instant now) {
        return keys("retired_at is null or retired_at > ?1 order by created_at desc, kid desc", now);
    }

    /** The key new tokens are signed with: the last one activated and not scheduled for retirement. */
    public SigningKey findActive() {
        return first(keys("activated_at is not null and retired_at is null"
                + " order by activated_at desc, created_at desc, kid desc limit 1"));
    }

    /** The published key that signs after the next rotation: the one published longest, if any. */
    public SigningKey findNext() {
        return first(keys("activated_at is null and retired_at is null and private_key is not null"
                + " order by created_at, kid limit 1"));
    }

    /** Keys retired at or before {@code now} that stopped signing after {@code signedSince}: some of their tokens live. */
    public List<SigningKey> listRetired(Instant now, Instant signedSince) {
        return keys("retired_at <= ?1 and coalesce(superseded_at, retired_at) > ?2 order by retired_at, kid",
                now, signedSince);
    }

    /**
     * Every key that has signed, but {@code kept}, stops signing at {@code now} (an earlier end stands), loses its private half,
     * and stops verifying at {@code until} at the latest (earlier retirements stand).
     */
    public void supersedeAllBut(String kept, Instant now, Instant until) {
        var update = getEntityManager().createNativeQuery("update {h-schema}signing_key"
                + " set superseded_at = coalesce(superseded_at, ?2),"
                + " retired_at = case when retired_at is null or retired_at > ?3 then ?3 else retired_at end,"
                + " private_key = null where kid <> ?1 and activated_at is not null");
        update.setParameter(1, kept).setParameter(2, now).setParameter(3, until).executeUpdate();
    }

    /** Keys that still hold their private half. */
    public List<SigningKey> listWithPrivateKey() {
        return keys("private_key is not null");
    }

    /** Serialises key creation across nodes for the rest of the current transaction. */
    public void lockForCreation() {
        getEntityManager()
                .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(7262524154)) as creation_lock")
                .getSingleResult();
    }

    @SuppressWarnings("unchecked")
    private List<SigningKey> keys(String condition, Object... parameters) {
        var query = getEntityManager().createNativeQuery(KEYS + condition, SigningKey.class);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query.getResultList();
    }

    private static SigningKey first(List<SigningKey> keys) {
        return keys.isEmpty() ? null : keys.get(0);
    }
}
