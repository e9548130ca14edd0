package dev.tokenservice.session;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class AuthSessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    /** Revokes every live session of the user and returns their ids. */
    public List<UUID> revokeAllOf(UUID userId, Instant now) {
        List<UUID> ids = getEntityManager()
                .createQuery("select s.id from AuthSession s where s.user.id = ?1 and s.revokedAt is null", UUID.class)
                .setParameter(1, userId)
                .getResultList();
        if (!ids.isEmpty()) {
            update("revokedAt = ?1 where id in ?2 and revokedAt is null", now, ids);
        }
        return ids;
    }

    public void revoke(UUID id, Instant now) {
        update("revokedAt = ?1 where id = ?2 and revokedAt is null", now, id);
    }
}
