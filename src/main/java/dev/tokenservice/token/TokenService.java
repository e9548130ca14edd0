package dev.tokenservice.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.tokenservice.account.AccountService;
import dev.tokenservice.account.AccountService.StoredPassword;
import dev.tokenservice.account.FailedAttempts.Lockout;
import dev.tokenservice.account.InvalidCredentialsException;
import dev.tokenservice.account.LoginAttemptStore;
import dev.tokenservice.account.LoginRequest;
import dev.tokenservice.account.PasswordChangeRequest;
import dev.tokenservice.account.VerifiedAccount;
import dev.tokenservice.account.WrongPasswordException;
import dev.tokenservice.client.ClientRegistry;
import dev.tokenservice.client.GrantType;
import dev.tokenservice.client.RegisteredClient;
import dev.tokenservice.dpop.DpopException;
import dev.tokenservice.event.NewSecurityEvent;
import dev.tokenservice.event.RevokeReason;
import dev.tokenservice.event.SecurityEventType;
import dev.tokenservice.event.SecurityEvents;
import dev.tokenservice.key.SigningKeys;
import dev.tokenservice.revocation.RevocationStore;
import dev.tokenservice.revocation.RevocationUnavailableException;
import dev.tokenservice.revocation.SessionTokenQuota;
import dev.tokenservice.session.Rotation;
import dev.tokenservice.session.SessionGrant;
import dev.tokenservice.session.SessionOrigin;
import dev.tokenservice.session.SessionService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Login, refresh and every kind of revocation. Sessions are written to PostgreSQL first, then the
 * revocation to Redis; a request is acknowledged only once both hold.
 */
@ApplicationScoped
public class TokenService {

    private final AccountService accounts;
    private final LoginAttemptStore attempts;
    private final SessionService sessions;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;
    private final SigningKeys keys;
    private final RevocationStore revocations;
    private final TokenMetrics metrics;
    private final Clock clock;
    private final ClientRegistry clients;
    private final SessionTokenQuota tokenQuota;
    private final SecurityEvents events;

    public TokenService(AccountService accounts, LoginAttemptStore attempts, SessionService sessions,
            TokenIssuer issuer, TokenVerifier verifier, SigningKeys keys, RevocationStore revocations,
            TokenMetrics metrics, Clock clock, ClientRegistry clients, SessionTokenQuota tokenQuota,
            SecurityEvents events) {
        this.accounts = accounts;
        this.attempts = attempts;
        this.sessions = sessions;
        this.issuer = issuer;
        this.verifier = verifier;
        this.keys = keys;
        this.revocations = revocations;
        this.metrics = metrics;
        this.clock = clock;
        this.clients = clients;
        this.tokenQuota = tokenQuota;
        this.events = events;
    }

    /**
     * Checks the password, counting the attempt as a failure of the username and the client address before the
     * check (across all nodes), and opens a session unless a revoke-all of the user overtook the check.
     */
    public TokenPair login(LoginRequest request, String clientAddress, String userAgent, String dpopJkt) {
        RegisteredClient client = clients.publicClient(request.clientId(), GrantType.PASSWORD);
        requireProofIfConfigured(client, dpopJkt);
        VerifiedAccount account = checked(request.username(), clientAddress, "login",
                () -> accounts.authenticate(request.username(), request.password()));
        SessionGrant grant = sessions.open(account, new SessionOrigin(client.id(), dpopJkt, userAgent, clientAddress))
                .orElseThrow(InvalidCredentialsException::new);
        metrics.issued("password");
        return issuer.issue(grant, client);
    }

    /** A client configured with {@code dpop=required} gets no token without a proof. */
    public static void requireProofIfConfigured(RegisteredClient client, String dpopJkt) {
        if (client.dpopRequired() && dpopJkt == null) {
            throw new DpopException(DpopException.INVALID_PROOF, "dpop_required",
                    "client " + client.id() + " requires a DPoP proof");
        }
    }

    /**
     * Changes the password and revokes every session of the user, as one operation: the new hash, the epoch,
     * the sessions in PostgreSQL and the revocation in Redis commit together, or nothing does (503, retry).
     * A wrong current password counts as a failed login of the user.
     */
    public void changePassword(UUID userId, PasswordChangeRequest request, String clientAddress) {
        StoredPassword stored = accounts.storedPassword(userId);
        checked(stored.canonicalUsername(), clientAddress, "password_change", () -> {
            if (!accounts.matches(request.currentPassword(), stored)) {
                throw new WrongPasswordException();
            }
            return stored;
        });
        String newHash = accounts.hash(request.newPassword());
        revokeUser(userId, RevokeReason.PASSWORD_CHANGE, () -> {
            accounts.replacePassword(userId, stored.hash(), newHash);
            events.record(NewSecurityEvent.of(SecurityEventType.PASSWORD_CHANGED).user(userId));
        });
    }

    /**
     * Runs a password check under the failed-login limit of the username and the address; a wrong password is a
     * {@code login.failed} event ({@code via} the login or a password change), and one that takes a counter to its
     * limit a {@code login.throttled} event too.
     */
    private <T> T checked(String username, String clientAddress, String via, Supplier<T> check) {
        attempts.reserve(username, clientAddress);
        T result;
        try {
            result = check.get();
        } catch (InvalidCredentialsException | WrongPasswordException e) {
            List<Lockout> lockouts = attempts.recordFailure(username, clientAddress);
            recordFailure(LoginAttemptStore.canonical(username), clientAddress, via, lockouts);
            throw e;
        } catch (RuntimeException e) {
            attempts.release(username, clientAddress);
            throw e;
        }
        attempts.recordSuccess(username, clientAddress);
        return result;
    }

    private void recordFailure(String canonical, String clientAddress, String via, List<Lockout> lockouts) {
        events.recordAlone(NewSecurityEvent.of(SecurityEventType.LOGIN_FAILED).accountNamed(canonical)
                .from(clientAddress, null).with("via", via));
        for (Lockout lockout : lockouts) {
            NewSecurityEvent throttled = NewSecurityEvent.of(SecurityEventType.LOGIN_THROTTLED)
                    .from(clientAddress, null)
                    .with("scope", lockout.byName() ? "user" : "address")
                    .with("retry_after", lockout.retryAfter());
            events.recordAlone(lockout.byName() ? throttled.accountNamed(canonical) : throttled);
        }
    }

    /**
     * Rotates the refresh token; the new access token is for the session's client. A request that names a client
     * must name the session's own, or the token is refused unspent; so is a request that does not prove the DPoP key
     * the session is bound to ({@code dpopJkt}, null without a proof), or proves one for an unbound session.
     */
    public TokenPair refresh(String refreshToken, String clientId, String dpopJkt) {
        if (clientId != null) {
            RegisteredClient named = clients.publicClient(clientId, GrantType.REFRESH_TOKEN);
            if (sessions.clientOf(refreshToken, clients.defaultClient().id()).filter(named.id()::equals).isEmpty()) {
                metrics.rejected("refresh_client");
                throw new InvalidTokenException("refresh_client", "the refresh token is not valid for this client");
            }
        }
        Rotation rotation = sessions.rotate(refreshToken, dpopJkt);
        switch (rotation.outcome()) {
            case INVALID -> {
                metrics.rejected(rotation.reason());
                if (Rotation.DPOP_BINDING.equals(rotation.reason())) {
                    throw new DpopException(DpopException.INVALID_PROOF, rotation.reason(), dpopJkt == null
                            ? "the session is DPoP-bound: its refresh needs a proof of its key"
                            : "the DPoP proof is not of the key this session is bound to (or the session is not bound)");
                }
                throw new InvalidTokenException(rotation.reason(), "the refresh token is not valid");
            }
            case REUSED -> {
                revokeSessions(List.of(rotation.revokedSession()));
                metrics.rejected(rotation.reason());
                throw new InvalidTokenException(rotation.reason(),
                        "the refresh token was already used; its session is revoked");
            }
            default -> {
                metrics.refreshed();
                metrics.issued("refresh_token");
                return issuer.issue(rotation.grant(), clientOf(rotation.grant()));
            }
        }
    }

    /** The session's client, as long as the configuration still lets it refresh. */
    private RegisteredClient clientOf(SessionGrant grant) {
        String id = grant.clientId() == null ? clients.defaultClient().id() : grant.clientId();
        return clients.find(id).filter(client -> client.allows(GrantType.REFRESH_TOKEN)).orElseThrow(() -> {
            metrics.rejected("refresh_client");
            return new InvalidTokenException("refresh_client", "the session's client may no longer refresh");
        });
    }

    /** Revokes the presented access token and its whole session. */
    public void logout(JsonWebToken token) {
        UUID sessionId = UserClaims.sessionId(token);
        sessions.revoke(sessionId, RevokeReason.LOGOUT);
        revocations.revokeTokenAndSession(UUID.fromString(token.getTokenID()),
                Instant.ofEpochSecond(token.getExpirationTime()), sessionId);
        metrics.revoked("token", 1);
        metrics.revoked("session", 1);
    }

    /** Revokes every token of the user issued up to now: logout-all, admin action. */
    public void revokeUser(UUID userId, RevokeReason reason) {
        revokeUser(userId, reason, () -> { });
    }

    /**
     * In one database transaction: {@code change} (if any), the user's session epoch and sessions, one
     * {@code session.revoked} event that counts them, and the revocation written to Redis before the commit. A
     * Redis failure rolls everything back (503, safe to retry); logins racing it open no session that outlives it.
     */
    private void revokeUser(UUID userId, RevokeReason reason, Runnable change) {
        List<UUID> sessionIds = QuarkusTransaction.requiringNew().call(() -> {
            change.run();
            Instant now = clock.instant();
            List<UUID> revoked = sessions.revokeAllOf(userId);
            events.record(NewSecurityEvent.sessionRevoked(reason).user(userId).with("sessions", revoked.size()));
            revocations.revokeUser(userId, revoked, now);
            return revoked;
        });
        metrics.revoked("session", sessionIds.size());
        metrics.revoked("user", 1);
    }

    /**
     * RFC 7009: revokes an access token, or the session of a refresh token; anything else is ignored. A token
     * already revoked (by its id, its session or its user's cut-off) writes nothing, and a session past its quota
     * of single revocations ({@link SessionTokenQuota}) is revoked whole.
     */
    public void revoke(String token) {
        if (token.chars().filter(c -> c == '.').count() == 2) {
            try {
                revokeAccessToken(verifyIssued(token));
            } catch (InvalidTokenException e) {
                metrics.rejected(e.reason());
            }
            return;
        }
        if (token.length() <= TokenVerifier.MAX_TOKEN_LENGTH) {
            revokeSessions(sessions.revokeByRefreshToken(token));
        }
    }

    private void revokeAccessToken(VerifiedToken verified) {
        if (isAlreadyRevoked(verified) || !revocations.revokeToken(verified.jti(), verified.expiresAt())) {
            return;
        }
        metrics.revoked("token", 1);
        UUID sessionId = verified.sessionId();
        events.recordAlone(NewSecurityEvent.of(SecurityEventType.TOKEN_REVOKED).user(verified.userId())
                .session(sessionId).client(verified.clientId()).with("reason", RevokeReason.RFC7009.wire()));
        if (sessionId != null && tokenQuota.exceededBy(sessionId)) {
            sessions.revoke(sessionId, RevokeReason.RFC7009);
            revokeSessions(List.of(sessionId));
        }
    }

    /** Whether this node's mirror, being current, already refuses the token; when it is not current, false. */
    private boolean isAlreadyRevoked(VerifiedToken verified) {
        try {
            return revocations.isRevoked(verified.jti(), verified.sessionId(), verified.userId(), verified.issuedAt())
                    .await().indefinitely();
        } catch (RevocationUnavailableException e) {
            return false;
        }
    }

    /**
     * Verifies a token of ours for any audience (revocation, introspection), re-reading the key set once if the
     * token names a key this node has not heard of yet.
     */
    public VerifiedToken verifyIssued(String token) {
        try {
            return verifier.verifyAnyAudience(token);
        } catch (InvalidTokenException e) {
            if (!"unknown_kid".equals(e.reason()) || !keys.reloadForUnknownKidBlocking()) {
                throw e;
            }
            return verifier.verifyAnyAudience(token);
        }
    }

    private void revokeSessions(List<UUID> sessionIds) {
        if (!sessionIds.isEmpty()) {
            metrics.revoked("session", revocations.revokeSessions(sessionIds));
        }
    }
}
