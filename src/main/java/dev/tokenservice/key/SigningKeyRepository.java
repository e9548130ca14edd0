package dev.tokenservice.key;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKey, String> {

    /** Keys that may have signed a live token, newest first. */
    public List<SigningKey> listLive() {
        return list("retiredAt is null", Sort.descending("createdAt", "kid"));
    }

    /** Serialises key creation across nodes for the rest of the current transaction. */
    public void lockForCreation() {
        getEntityManager()
                .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(7262524154)) as creation_lock")
                .getSingleResult();
    }
}
