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

    /** Makes every key stop verifying at {@code until} at the latest; earlier retirements stand. */
    public void retireAllBy(Instant until) {
        update("retiredAt = ?1 where retiredAt is null or retiredAt > ?1", until);
    }

    /** Serialises key creation across nodes for the rest of the current transaction. */
    public void lockForCreation() {
        getEntityManager()
                .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(7262524154)) as creation_lock")
                .getSingleResult();
    }
}
