package dev.tokenservice.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.tokenservice.account.AccountResponse;
import dev.tokenservice.account.AccountService;
import dev.tokenservice.account.InvalidCredentialsException;
import dev.tokenservice.account.LoginAttemptStore;
import dev.tokenservice.account.LoginRequest;
import dev.tokenservice.key.SigningKeys;
import dev.tokenservice.revocation.RevocationStore;
import dev.tokenservice.session.Rotation;
import dev.tokenservice.session.SessionGrant;
import dev.tokenservice.session.SessionService;

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

    public TokenService(AccountService accounts, LoginAttemptStore attempts, SessionService sessions,
            TokenIssuer issuer, TokenVerifier verifier, SigningKeys keys, RevocationStore revocations,
            TokenMetrics metrics, Clock clock) {
        this.accounts = accounts;
        this.attempts = attempts;
        this.sessions = sessions;
        this.issuer = issuer;
        this.verifier = verifier;
        this.keys = keys;
        this.revocations = revocations;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Checks the password, counting failures per username and per client address across all nodes. */
    public TokenPair login(LoginRequest request, String clientAddress) {
        attempts.checkAllowed(request.username(), clientAddress);
        AccountResponse account;
        try {
            account = accounts.authenticate(request.username(), request.password());
        } catch (InvalidCredentialsException e) {
            attempts.recordFailure(request.username(), clientAddress);
            throw e;
        }
        attempts.recordSuccess(request.username());
        SessionGrant grant = sessions.open(account.id());
        metrics.issued("password");
        return issuer.issue(grant);
    }

    public TokenPair refresh(String refreshToken) {
        Rotation rotation = sessions.rotate(refreshToken);
        switch (rotation.outcome()) {
            case INVALID -> {
                metrics.rejected(rotation.reason());
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
                return issuer.issue(rotation.grant());
            }
        }
    }

    /** Revokes the presented access token and its whole session. */
    public void logout(JsonWebToken token) {
        UUID sessionId = UUID.fromString(token.getClaim("sid"));
        sessions.revoke(sessionId);
        revocations.revokeToken(UUID.fromString(token.getTokenID()), Instant.ofEpochSecond(token.getExpirationTime()));
        metrics.revoked("token", 1);
        revokeSessions(List.of(sessionId));
    }

    /** Revokes every token of the user issued up to now: logout-all, password change, admin action. */
    public void revokeUser(UUID userId) {
        Instant now = clock.instant();
        List<UUID> sessionIds = sessions.revokeAllOf(userId);
        revokeSessions(sessionIds);
        revocations.revokeUser(userId, now);
        metrics.revoked("user", 1);
    }

    /** RFC 7009: revokes an access token, or the session of a refresh token; anything else is ignored. */
    public void revoke(String token) {
        if (token.chars().filter(c -> c == '.').count() == 2) {
            try {
                VerifiedToken verified = verifyForRevocation(token);
                revocations.revokeToken(verified.jti(), verified.expiresAt());
                metrics.revoked("token", 1);
            } catch (InvalidTokenException e) {
                metrics.rejected(e.reason());
            }
            return;
        }
        if (token.length() <= TokenVerifier.MAX_TOKEN_LENGTH) {
            revokeSessions(sessions.revokeByRefreshToken(token));
        }
    }

    /** Verifies, re-reading the key set once if the token names a key this node has not heard of yet. */
    private VerifiedToken verifyForRevocation(String token) {
        try {
            return verifier.verify(token);
        } catch (InvalidTokenException e) {
            if (!"unknown_kid".equals(e.reason()) || !keys.reloadForUnknownKidBlocking()) {
                throw e;
            }
            return verifier.verify(token);
        }
    }

    private void revokeSessions(List<UUID> sessionIds) {
        if (!sessionIds.isEmpty()) {
            revocations.revokeSessions(sessionIds);
            metrics.revoked("session", sessionIds.size());
        }
    }
}
