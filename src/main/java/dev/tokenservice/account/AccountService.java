package dev.tokenservice.account;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import dev.tokenservice.error.Causes;
import dev.tokenservice.event.NewSecurityEvent;
import dev.tokenservice.event.SecurityEventType;
import dev.tokenservice.event.SecurityEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Registers accounts, checks credentials and changes passwords. */
@ApplicationScoped
public class AccountService {

    static final String ROLE_USER = "user";
    static final String ROLE_ADMIN = "admin";

    private final UserAccountRepository accounts;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SecurityEvents events;

    public AccountService(UserAccountRepository accounts, PasswordHasher hasher, Clock clock, SecurityEvents events) {
        this.events = events;
        this.accounts = accounts;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** Checks the name before spending a hash on it; the hash is computed outside any transaction. */
    public AccountResponse register(RegisterRequest request) {
        Username username = Username.of(request.username());
        if (QuarkusTransaction.requiringNew().call(() -> accounts.findByUsername(username).isPresent())) {
            throw new UsernameTakenException();
        }
        UserAccount account = newAccount(username, hasher.hash(request.password()), ROLE_USER);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                accounts.persistAndFlush(account);
                events.record(NewSecurityEvent.of(SecurityEventType.ACCOUNT_REGISTERED)
                        .user(account.id, account.username));
            });
        } catch (RuntimeException e) {
            if (Causes.find(e, ConstraintViolationException.class) != null) {
                throw new UsernameTakenException();
            }
            throw e;
        }
        return AccountResponse.of(account);
    }

    /**
     * Checks a login; unknown and malformed usernames cost one hash, like a wrong password. The account is read
     * in a short transaction of its own and the hash compared after it has ended.
     */
    public VerifiedAccount authenticate(String username, String password) {
        UserAccount account = QuarkusTransaction.requiringNew().call(() -> canonicalOrNull(username));
        if (account == null) {
            hasher.verifyDecoy(password);
            throw new InvalidCredentialsException();
        }
        if (!hasher.verify(password, account.passwordHash)) {
            throw new InvalidCredentialsException();
        }
        return VerifiedAccount.of(account);
    }

    @Transactional
    public AccountResponse find(UUID id) {
        return accounts.findByIdOptional(id).map(AccountResponse::of).orElseThrow(AccountNotFoundException::new);
    }

    @Transactional
    public UUID idOf(String username) {
        UserAccount account = canonicalOrNull(username);
        if (account == null) {
            throw new AccountNotFoundException();
        }
        return account.id;
    }

    /** The account's canonical name and current hash, for a password change; read in a short transaction. */
    public StoredPassword storedPassword(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> accounts.findByIdOptional(id)
                .map(account -> new StoredPassword(account.usernameCanonical, account.passwordHash))
                .orElseThrow(InvalidCredentialsException::new));
    }

    /** Compares a password with a stored hash; blocks for one Argon2 computation, outside any transaction. */
    public boolean matches(String password, StoredPassword stored) {
        return hasher.verify(password, stored.hash());
    }

    /** Hashes a new password; blocks for one Argon2 computation, outside any transaction. */
    public String hash(String password) {
        return hasher.hash(password);
    }

    /**
     * Replaces the hash, in the caller's transaction, if it is still the one the current password was checked
     * against; a concurrent change wins and this one fails as a wrong current password.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void replacePassword(UUID id, String expectedHash, String newHash) {
        int changed = accounts.update("passwordHash = ?1 where id = ?2 and passwordHash = ?3", newHash, id, expectedHash);
        if (changed != 1) {
            throw new WrongPasswordException();
        }
    }

    /** What a password change needs of the account. */
    public record StoredPassword(String canonicalUsername, String hash) {
    }

    /**
     * Creates the bootstrap admin if the name is free, or checks that the account of that name is the one the
     * bootstrap created. Returns its id if the configured password is no longer its password.
     */
    public Optional<UUID> ensureAdmin(String rawUsername, String password) {
        Username username = Username.of(rawUsername);
        UserAccount account = QuarkusTransaction.requiringNew()
                .call(() -> accounts.findByUsername(username).orElse(null));
        if (account == null) {
            UserAccount admin = newAccount(username, hasher.hash(password), ROLE_USER + "," + ROLE_ADMIN);
            admin.bootstrapAdmin = true;
            QuarkusTransaction.requiringNew().run(() -> {
                accounts.persistAndFlush(admin);
                events.record(NewSecurityEvent.of(SecurityEventType.ACCOUNT_REGISTERED)
                        .user(admin.id, admin.username).with("bootstrap_admin", true));
            });
            return Optional.empty();
        }
        if (!account.bootstrapAdmin) {
            throw new AdminNameTakenException(username.canonical());
        }
        if (!account.roleList().contains(ROLE_ADMIN)) {
            QuarkusTransaction.requiringNew().run(() -> accounts.update(
                    "roles = ?1 where id = ?2 and bootstrapAdmin = true", account.roles + "," + ROLE_ADMIN, account.id));
        }
        return hasher.verify(password, account.passwordHash) ? Optional.empty() : Optional.of(account.id);
    }

    /** Gives the bootstrap admin the configured password; revoking its sessions is the caller's part. */
    public void resetAdminPassword(UUID id, String password) {
        String hash = hasher.hash(password);
        QuarkusTransaction.requiringNew().run(() -> {
            if (accounts.update("passwordHash = ?1 where id = ?2 and bootstrapAdmin = true", hash, id) != 1) {
                throw new AccountNotFoundException();
            }
        });
    }

    private UserAccount canonicalOrNull(String raw) {
        try {
            return accounts.findByUsername(Username.of(raw)).orElse(null);
        } catch (InvalidUsernameException e) {
            return null;
        }
    }

    private UserAccount newAccount(Username username, String hash, String roles) {
        UserAccount account = new UserAccount();
        account.id = UUID.randomUUID();
        account.username = username.display();
        account.usernameCanonical = username.canonical();
        account.passwordHash = hash;
        account.roles = roles;
        account.createdAt = clock.instant();
        return account;
    }
}
