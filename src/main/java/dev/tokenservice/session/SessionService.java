package dev.tokenservice.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.tokenservice.account.UserAccount;
import dev.tokenservice.account.VerifiedAccount;
import dev.tokenservice.event.NewSecurityEvent;
import dev.tokenservice.event.RevokeReason;
import dev.tokenservice.event.SecurityEventType;
import dev.tokenservice.event.SecurityEvents;
import dev.tokenservice.revocation.RevocationRecord;
import dev.tokenservice.session.RefreshTokens.Presented;
import dev.tokenservice.session.Rotation.Outcome;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Sessions and their refresh tokens in PostgreSQL: open, rotate, revoke. */
@ApplicationScoped
public class SessionService implements RevocationRecord {

    private static final String OPEN = """
            insert into {h-schema}auth_session
                   (id, user_id, created_at, expires_at, client_id, dpop_jkt, user_agent, client_address, refresh_key)
            select :id, u.id, :now, :expires, :client, :jkt, :agent, :address, :key
              from (select id from {h-schema}user_account
                     where id = :user and session_epoch = :epoch for share) u
            """;

    private final AuthSessionRepository sessions;
    private final RefreshTokenRepository refreshTokens;
    private final Clock clock;
    private final Duration lifetime;
    private final Duration reuseGrace;
    private final Duration accessHorizon;
    private final SecurityEvents events;

    public SessionService(AuthSessionRepository sessions, RefreshTokenRepository refreshTokens, Clock clock,
            TokenConfig config, SecurityEvents events) {
        this.sessions = sessions;
        this.events = events;
        this.refreshTokens = refreshTokens;
        this.clock = clock;
        this.lifetime = config.refreshToken().lifetime();
        this.reuseGrace = config.refreshToken().reuseGrace();
        this.accessHorizon = config.accessToken().lifetime().plus(config.clockSkew());
    }

    /**
     * Opens a session for an account whose password was just checked, in one statement that holds only while
     * the account's session epoch is still the one read with the password hash. A revoke-all moves the epoch
     * under a row lock this statement shares, so a login either commits its session before the revoke-all
     * revokes it, or opens none: empty then, and the login must start again. The login's
     * {@code login.succeeded} event is written with the session.
     */
    @Transactional
    public Optional<SessionGrant> open(VerifiedAccount account, SessionOrigin origin) {
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        Instant expiresAt = now.plus(lifetime);
        byte[] key = RefreshTokens.newSessionKey();
        int opened = sessions.getEntityManager().createNativeQuery(OPEN)
                .setParameter("id", id)
                .setParameter("now", now)
                .setParameter("expires", expiresAt)
                .setParameter("user", account.id())
                .setParameter("epoch", account.sessionEpoch())
                .setParameter("client", origin.clientId())
                .setParameter("jkt", origin.dpopJkt())
                .setParameter("agent", origin.userAgent())
                .setParameter("address", origin.address())
                .setParameter("key", key)
                .executeUpdate();
        if (opened != 1) {
            return Optional.empty();
        }
        String body = RefreshTokens.body(id, 1);
        RefreshToken first = newToken(RefreshTokens.hash(body),
                sessions.getEntityManager().getReference(AuthSession.class, id), now);
        first.rotation = 1;
        refreshTokens.persist(first);
        String refreshToken = RefreshTokens.chained(body, key);
        events.record(NewSecurityEvent.of(SecurityEventType.LOGIN_SUCCEEDED)
                .user(account.id(), account.username())
                .session(id)
                .client(origin.clientId())
                .from(origin.address(), origin.userAgent()));
        return Optional.of(new SessionGrant(id, account.id(), account.username(), account.roles(), expiresAt,
                refreshToken, origin.clientId(), origin.dpopJkt()));
    }

    /**
     * Spends a refresh token and hands out its successor. Exactly one caller wins the compare-and-set;
     * the others, within the grace, get that same successor; anyone later revokes the session. The common case
     * is one auto-committed statement; only when it does not apply is the reason looked for in a transaction.
     * {@code dpopJkt} is the thumbprint of the key the request proved (null: no proof); it must be the session's,
     * or nothing is spent and the answer is {@code dpop_binding}, before any reuse is considered: a stolen refresh
     * token presented without its key neither works nor ends its owner's session.
     */
    public Rotation rotate(String presented, String dpopJkt) {
        Presented token = RefreshTokens.parse(presented);
        Optional<SessionGrant> rotated = spendAndReplace(token, dpopJkt, clock.instant());
        if (rotated.isPresent()) {
            return Rotation.granted(Outcome.ROTATED, rotated.get());
        }
        return QuarkusTransaction.requiringNew().call(() -> rotateSlowly(token, dpopJkt));
    }

    /** The compare-and-set itself: one statement, see {@link RefreshTokenRepository#rotate}. */
    private Optional<SessionGrant> spendAndReplace(Presented token, String dpopJkt, Instant now) {
        Integer rotation = token.chained() ? token.rotation() + 1 : null;
        String next = token.chained() ? RefreshTokens.body(token.session(), rotation) : RefreshTokens.plain();
        return refreshTokens.rotate(token.hash(), next, RefreshTokens.hash(next),
                RefreshTokens.seal(token.secret(), next), rotation, dpopJkt, now);
    }

    /**
     * Why the one-statement rotation did not apply: unknown, over, unproven, spent (retry or reuse), or a lost race.
     * A chained token spent longer ago than the grace has no row any more; its tag and its place in the chain
     * behind the session's newest token tell that it was spent.
     */
    private Rotation rotateSlowly(Presented presented, String dpopJkt) {
        RefreshToken token = refreshTokens.findById(presented.hash());
        AuthSession session = token != null ? token.session : spentSessionOf(presented);
        if (session == null) {
            return Rotation.invalid("refresh_unknown");
        }
        Instant now = clock.instant();
        if (session.revokedAt != null) {
            return Rotation.invalid("refresh_revoked");
        }
        if (!now.isBefore(session.expiresAt)) {
            return Rotation.invalid("refresh_expired");
        }
        if (!Objects.equals(session.dpopJkt, dpopJkt)) {
            return Rotation.invalid(Rotation.DPOP_BINDING);
        }
        if (token == null) {
            return reused(session, now);
        }
        if (token.spentAt == null) {
            // unspent and live, yet the statement missed it: the row changed under it; try once more
            Optional<SessionGrant> rotated = spendAndReplace(presented, dpopJkt, now);
            if (rotated.isPresent()) {
                return Rotation.granted(Outcome.ROTATED, rotated.get());
            }
            refreshTokens.getEntityManager().refresh(token);
            refreshTokens.getEntityManager().refresh(session);
            if (token.spentAt == null || session.revokedAt != null) {
                // neither spent by anyone nor rotatable: its session was revoked meanwhile (logout, revoke-all)
                return Rotation.invalid("refresh_revoked");
            }
        }
        return retryOrReuse(token, presented, now);
    }

    /**
     * The session of a chained token whose row is gone: it must carry a tag under that session's key and stand
     * behind the session's newest token, or it was never issued (or its session is purged) and is unknown.
     */
    private AuthSession spentSessionOf(Presented presented) {
        if (!presented.chained()) {
            return null;
        }
        AuthSession session = sessions.findById(presented.session());
        if (session == null || !presented.issuedUnder(session.refreshKey)) {
            return null;
        }
        Integer newest = refreshTokens.newestRotation(session.id);
        return newest != null && presented.rotation() < newest ? session : null;
    }

    private Rotation retryOrReuse(RefreshToken spent, Presented presented, Instant now) {
        AuthSession session = spent.session;
        boolean withinGrace = now.isBefore(spent.spentAt.plus(reuseGrace));
        if (withinGrace && spent.successorHash != null) {
            RefreshToken successor = refreshTokens.findById(spent.successorHash);
            if (successor != null && successor.spentAt == null) {
                String same = RefreshTokens.unseal(presented.secret(), spent.successorSealed);
                if (successor.rotation != null) {
                    same = RefreshTokens.chained(same, session.refreshKey);
                }
                return Rotation.granted(Outcome.RETRIED, grant(session, same));
            }
        }
        return reused(session, now);
    }

    private Rotation reused(AuthSession session, Instant now) {
        if (sessions.revoke(session.id, now)) {
            events.record(NewSecurityEvent.of(SecurityEventType.REFRESH_REUSE_DETECTED).session(session.id));
            events.record(NewSecurityEvent.sessionRevoked(RevokeReason.REFRESH_REUSE).session(session.id));
        }
        return Rotation.reused(session.id);
    }

    /** Revokes the session, with its {@code session.revoked} event, unless it is revoked already. */
    @Transactional
    public void revoke(UUID sessionId, RevokeReason reason) {
        if (sessions.revoke(sessionId, clock.instant())) {
            events.record(NewSecurityEvent.sessionRevoked(reason).session(sessionId));
        }
    }

    @Override
    @Transactional
    public List<UUID> sessionsRevokedSince(Instant since) {
        return sessions.getEntityManager()
                .createQuery("select s.id from AuthSession s where s.revokedAt >= ?1", UUID.class)
                .setParameter(1, since)
                .getResultList();
    }

    /**
     * The client of the session a refresh token belongs to ({@code defaultClient} for a session older than clients),
     * or empty when the token is unknown. Read before rotating, so a request for another client spends nothing.
     */
    @Transactional
    public Optional<String> clientOf(String presented, String defaultClient) {
        AuthSession session = sessionOf(RefreshTokens.parse(presented));
        if (session == null) {
            return Optional.empty();
        }
        return Optional.of(session.clientId == null ? defaultClient : session.clientId);
    }

    /**
     * Revokes the session a refresh token belongs to, if the token is known; returns the session unless it was
     * revoked longer than an access-token lifetime ago, when no token it stops can be alive any more. A session
     * revoked more recently is returned again: its revocation may not have reached Redis (a retry after a 503).
     */
    @Transactional
    public List<UUID> revokeByRefreshToken(String presented) {
        AuthSession session = sessionOf(RefreshTokens.parse(presented));
        if (session == null) {
            return List.of();
        }
        Instant now = clock.instant();
        if (session.revokedAt != null) {
            return session.revokedAt.isBefore(now.minus(accessHorizon)) ? List.of() : List.of(session.id);
        }
        if (sessions.revoke(session.id, now)) {
            events.record(NewSecurityEvent.sessionRevoked(RevokeReason.RFC7009).session(session.id));
        }
        return List.of(session.id);
    }

    /**
     * Moves the user's session epoch forward and revokes every live session, in the caller's transaction if
     * there is one. Logins racing it either commit first (and are revoked here) or open no session.
     */
    @Transactional
    public List<UUID> revokeAllOf(UUID userId) {
        return sessions.revokeAllOf(userId, clock.instant());
    }

    /** The session of a refresh token: by its row, or for a chained one spent beyond the grace, by its tag. */
    private AuthSession sessionOf(Presented presented) {
        RefreshToken token = refreshTokens.findById(presented.hash());
        return token != null ? token.session : spentSessionOf(presented);
    }

    private static RefreshToken newToken(String hash, AuthSession session, Instant now) {
        RefreshToken token = new RefreshToken();
        token.tokenHash = hash;
        token.session = session;
        token.issuedAt = now;
        return token;
    }

    private static SessionGrant grant(AuthSession session, String refreshToken) {
        UserAccount user = session.user;
        return new SessionGrant(session.id, user.id, user.username, user.roleList(), session.expiresAt, refreshToken,
                session.clientId, session.dpopJkt);
    }
}
