package dev.tokenservice.session;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A refresh token, known only by its SHA-256 digest. */
@Entity
@Table(name = "refresh_token")
public class RefreshToken {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "session_id")
    public AuthSession session;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "spent_at")
    public Instant spentAt;

    @Column(name = "successor_hash")
    public String successorHash;

    /** The successor token, encrypted under this (spent) token: only its holder can read it back. */
    @Column(name = "successor_sealed")
    public byte[] successorSealed;

    /** The token's place in its session's chain (1 for the login's); null for a plain token. */
    @Column(name = "rotation")
    public Integer rotation;
}
