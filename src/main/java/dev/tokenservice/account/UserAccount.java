package dev.tokenservice.account;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account. Holds the password hash, so it never leaves the service layer. */
@Entity
@Table(name = "user_account")
public class UserAccount {

    @Id
    public UUID id;

    /** The name as registered (NFKC), shown back to the user. */
    public String username;

    /** NFKC and lower case: the unique key that makes look-alike names one account. */
    @Column(name = "username_canonical")
    public String usernameCanonical;

    @Column(name = "password_hash")
    public String passwordHash;

    /** Comma-separated role names. */
    public String roles;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Moves forward with every revoke-all; a login opens its session only under the epoch it read. */
    @Column(name = "session_epoch")
    public long sessionEpoch;

    /** Created by the admin bootstrap: the only account the bootstrap may manage. */
    @Column(name = "bootstrap_admin")
    public boolean bootstrapAdmin;

    public List<String> roleList() {
        return Arrays.asList(roles.split(","));
    }
}
