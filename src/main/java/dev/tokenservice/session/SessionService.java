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
import dev.tokenservice.session.Rotation.Outcome;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Sessions and their refresh tokens in PostgreSQL: open, rotate, revoke. */
@ApplicationScoped
public class SessionService implements RevocationRecord {

    private static final String OPEN = """
            insert into {h-schema}auth_session
                   (id, user_id, created_at, expires_at, client_id, dpop_jkt, user_agent, client_address)
            select :id, u.id, :now, :expires, :client, :jkt, :agent, :address
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
                .executeUpdate();
        if (opened != 1) {
            return Optional.empty();
        }
        String refreshToken = RefreshTokens.generate();
        refreshTokens.persist(newToken(RefreshTokens.hash(refreshToken),
                sessions.getEntityManager().getReference(AuthSession.class, id), now));
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
        String hash = RefreshTokens.hash(presented);
        Optional<SessionGrant> rotated = spendAndReplace(presented, hash, dpopJkt, clock.instant());
        if (rotated.isPresent()) {
            return Rotation.granted(Outcome.ROTATED, rotated.get());
        }
        return QuarkusTransaction.requiringNew().call(() -> rotateSlowly(presented, hash, dpopJkt));
    }

    /** The compare-and-set itself: one statement, see {@link RefreshTokenRepository#rotate}. */
    private Optional<SessionGrant> spendAndReplace(String presented, String hash, String dpopJkt, Instant now) {
        String next = RefreshTokens.generate();
        return refreshTokens.rotate(hash, next, RefreshTokens.hash(next), RefreshTokens.seal(presented, next), dpopJkt,
                now);
    }

    /** Why the one-statement rotation did not apply: unknown, over, unproven, spent (retry or reuse), or a lost race. */
    private Rotation rotateSlowly(String presented, String hash, String dpopJkt) {
        RefreshToken token = refreshTokens.findById(hash);
        if (token == null) {
            return Rotation.invalid("refresh_unknown");
        }
        AuthSession session = token.session;
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
        if (token.spentAt == null) {
            // unspent and live, yet the statement missed it: the row changed under it; try once more
            Optional<SessionGrant> rotated = spendAndReplace(presented, hash, dpopJkt, now);
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

    private Rotation retryOrReuse(RefreshToken spent, String presented, Instant now) {
        AuthSession session = spent.session;
        boolean withinGrace = now.isBefore(spent.spentAt.plus(reuseGrace));
        if (withinGrace && spent.successorHash != null) {
            RefreshToken successor = refreshTokens.findById(spent.successorHash);
            if (successor != null && successor.spentAt == null) {
                String same = RefreshTokens.unseal(presented, spent.successorSealed);
                return Rotation.granted(Outcome.RETRIED, grant(session, same));
            }
        }
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
        RefreshToken token = refreshTokens.findById(RefreshTokens.hash(presented));
        if (token == null) {
            return Optional.empty();
        }
        return Optional.of(token.session.clientId == null ? defaultClient : token.session.clientId);
    }

    /**
     * Revokes the session a refresh token belongs to, if the token is known; returns the session unless it was
     * revoked longer than an access-token lifetime ago, when no token it stops can be alive any more. A session
     * revoked more recently is returned again: its revocation may not have reached Redis (a retry after a 503).
     */
    @Transactional
    public List<UUID> revokeByRefreshToken(String presented) {
        RefreshToken token = refreshTokens.findById(RefreshTokens.hash(presented));
        if (token == null) {
            return List.of();
        }
        Instant now = clock.instant();
        AuthSession session = token.session;
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
