package dev.tokenservice.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.tokenservice.account.UserAccount;

/** One login: the chain of refresh tokens and the access tokens issued from it share its id ({@code sid}). */
@Entity
@Table(name = "auth_session")
public class AuthSession {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public UserAccount user;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Absolute end, counted from login; rotation never moves it. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The client the session was opened for; null for sessions older than clients: the default client. */
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The RFC 7638 thumbprint of the DPoP key the session is bound to; null for an unbound session. */
    @Column(name = "dpop_jkt")
    public String dpopJkt;

    /** The {@code User-Agent} the session was opened with, cut to {@link SessionOrigin#MAX_USER_AGENT}. */
    @Column(name = "user_agent")
    public String userAgent;

    /** The client address the session was opened from, as login throttling counts it. */
    @Column(name = "client_address")
    public String clientAddress;

    /** The key the session's chained refresh tokens are tagged under; null for a session of plain tokens. */
    @Column(name = "refresh_key")
    public byte[] refreshKey;
}
