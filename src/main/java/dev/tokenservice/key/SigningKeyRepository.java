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

    /** The key new tokens are signed with: the newest one not scheduled for retirement. */
    public SigningKey findActive() {
        return find("retiredAt is null", Sort.descending("createdAt", "kid")).firstResult();
    }

    /**
     * Every key but {@code kept} stops signing at {@code now} (an earlier end stands), loses its private half,
     * and stops verifying at {@code until} at the latest (earlier retirements stand).
     */
    public void supersedeAllBut(String kept, Instant now, Instant until) {
        update("supersededAt = coalesce(supersededAt, ?2),"
                + " retiredAt = case when retiredAt is null or retiredAt > ?3 then ?3 else retiredAt end,"
                + " privateKey = null where kid <> ?1", kept, now, until);
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
