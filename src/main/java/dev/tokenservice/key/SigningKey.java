package dev.tokenservice.key;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A signing key pair, shared by every node through the database. */
@Entity
@Table(name = "signing_key")
public class SigningKey {

    @Id
    public String kid;

    public String algorithm;

    /** PKCS#8 encoding, sealed by {@link SigningKeyCipher} when configured; erased once the key stops signing. */
    @Column(name = "private_key")
    public byte[] privateKey;

    /** X.509 SubjectPublicKeyInfo encoding. */
    @Column(name = "public_key")
    public byte[] publicKey;

    @Column(name = "created_at")
    public Instant createdAt;

    /** When the key started signing; null while it is the published next key. */
    @Column(name = "activated_at")
    public Instant activatedAt;

    /** When the key stopped signing: a token it signed later than this is a forgery. */
    @Column(name = "superseded_at")
    public Instant supersededAt;

    @Column(name = "retired_at")
    public Instant retiredAt;
}
