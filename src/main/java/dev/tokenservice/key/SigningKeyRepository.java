package dev.tokenservice.key;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKey, String> {

    /** Keys that may have signed a live token at {@code now}, newest first. */
    public List<SigningKey> listLive(Instant now) {
        return list("retiredAt is null or retiredAt > ?1", Sort.descending("createdAt", "kid"), now);
    }

    /** The key new tokens are signed with: the last one activated and not scheduled for retirement. */
    public SigningKey findActive() {
        return find("activatedAt is not null and retiredAt is null", Sort.descending("activatedAt", "createdAt", "kid"))
                .firstResult();
    }

    /** The published key that signs after the next rotation: the one published longest, if any. */
    public SigningKey findNext() {
        return find("activatedAt is null and retiredAt is null and privateKey is not null",
                Sort.ascending("createdAt", "kid")).firstResult();
    }

    /** Keys retired at or before {@code now} that stopped signing after {@code signedSince}: some of their tokens live. */
    public List<SigningKey> listRetired(Instant now, Instant signedSince) {
        return list("retiredAt <= ?1 and coalesce(supersededAt, retiredAt) > ?2", Sort.ascending("retiredAt", "kid"),
                now, signedSince);
    }

    /**
     * Every key that has signed, but {@code kept}, stops signing at {@code now} (an earlier end stands), loses its private half,
     * and stops verifying at {@code until} at the latest (earlier retirements stand).
     */
    public void supersedeAllBut(String kept, Instant now, Instant until) {
        update("supersededAt = coalesce(supersededAt, ?2),"
                + " retiredAt = case when retiredAt is null or retiredAt > ?3 then ?3 else retiredAt end,"
                + " privateKey = null where kid <> ?1 and activatedAt is not null", kept, now, until);
    }

    /** Keys that still hold their private half. */
    public List<SigningKey> listWithPrivateKey() {
        return list("privateKey is not null");
    }

    /** Serialises key creation across nodes for the rest of the current transaction. */
    public void lockForCreation() {
        getEntityManager()
                .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(7262524154)) as creation_lock")
                .getSingleResult();
    }
}
