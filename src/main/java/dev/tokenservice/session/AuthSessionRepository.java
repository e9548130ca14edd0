package dev.tokenservice.session;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class AuthSessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    /**
     * Moves the user's session epoch forward (taking the account row's lock, which a login opening a session
     * shares) and revokes every live session of the user; returns their ids.
     */
    @SuppressWarnings("unchecked")
    public List<UUID> revokeAllOf(UUID userId, Instant now) {
        getEntityManager()
                .createNativeQuery("update {h-schema}user_account set session_epoch = session_epoch + 1 where id = :user")
                .setParameter("user", userId)
                .executeUpdate();
        return getEntityManager()
                .createNativeQuery("""
                        update {h-schema}auth_session set revoked_at = :now
                         where user_id = :user and revoked_at is null
                        returning id""", UUID.class)
                .setParameter("now", now)
                .setParameter("user", userId)
                .getResultList();
    }

    public void revoke(UUID id, Instant now) {
        update("revokedAt = ?1 where id = ?2 and revokedAt is null", now, id);
    }
}
