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

    /** Revokes the session unless it is revoked already; returns whether this call revoked it. */
    public boolean revoke(UUID id, Instant now) {
        return update("revokedAt = ?1 where id = ?2 and revokedAt is null", now, id) == 1;
    }

    /**
     * The user's live sessions, newest first, at most {@code limit}. A session's first refresh token is issued at
     * its creation and each refresh issues the next, so its last refresh is the newest issue after creation.
     */
    public List<LiveSession> liveOf(UUID userId, Instant now, int limit) {
        return getEntityManager().createQuery("""
                select new dev.tokenservice.session.LiveSession(s.id, s.clientId, s.createdAt,
                       (select max(t.issuedAt) from RefreshToken t where t.session = s and t.issuedAt > s.createdAt),
                       s.expiresAt, s.userAgent, s.clientAddress, s.dpopJkt)
                  from AuthSession s
                 where s.user.id = :user and s.revokedAt is null and s.expiresAt > :now
                 order by s.createdAt desc, s.id desc""", LiveSession.class)
                .setParameter("user", userId)
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultList();
    }

    /** Revokes the session if it is the user's and live; false when it is unknown, someone else's or over. */
    public boolean revokeLive(UUID id, UUID userId, Instant now) {
        return update("revokedAt = ?1 where id = ?2 and user.id = ?3 and revokedAt is null and expiresAt > ?1",
                now, id, userId) == 1;
    }

    /** Revokes every live session of the user but {@code kept}; returns their ids. */
    @SuppressWarnings("unchecked")
    public List<UUID> revokeLiveExcept(UUID userId, UUID kept, Instant now) {
        return getEntityManager()
                .createNativeQuery("""
                        update {h-schema}auth_session set revoked_at = :now
                         where user_id = :user and id <> :kept and revoked_at is null and expires_at > :now
                        returning id""", UUID.class)
                .setParameter("now", now)
                .setParameter("user", userId)
                .setParameter("kept", kept)
                .getResultList();
    }
}
