package dev.tokenservice.account;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

/** Registers accounts, checks credentials and changes passwords. */
@ApplicationScoped
public class AccountService {

    static final String ROLE_USER = "user";
    static final String ROLE_ADMIN = "admin";

    private final UserAccountRepository accounts;
    private final PasswordHasher hasher;
    private final Clock clock;

    public AccountService(UserAccountRepository accounts, PasswordHasher hasher, Clock clock) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Transactional
    public AccountResponse register(RegisterRequest request) {
        Username username = Username.of(request.username());
        String hash = hasher.hash(request.password());
        if (accounts.findByUsername(username).isPresent()) {
            throw new UsernameTakenException();
        }
        UserAccount account = newAccount(username, hash, ROLE_USER);
        try {
            accounts.persistAndFlush(account);
        } catch (ConstraintViolationException e) {
            throw new UsernameTakenException();
        }
        return AccountResponse.of(account);
    }

    /** Checks a login; unknown and malformed usernames cost one hash, like a wrong password. */
    @Transactional
    public AccountResponse authenticate(String username, String password) {
        UserAccount account = canonicalOrNull(username);
        if (account == null) {
            hasher.verifyDecoy(password);
            throw new InvalidCredentialsException();
        }
        if (!hasher.verify(password, account.passwordHash)) {
            throw new InvalidCredentialsException();
        }
        return AccountResponse.of(account);
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

    /** Replaces the password after checking the current one; revoking the sessions is the caller's part. */
    @Transactional
    public void changePassword(UUID id, PasswordChangeRequest request) {
        UserAccount account = accounts.findByIdOptional(id).orElseThrow(InvalidCredentialsException::new);
        if (!hasher.verify(request.currentPassword(), account.passwordHash)) {
            throw new InvalidCredentialsException();
        }
        account.passwordHash = hasher.hash(request.newPassword());
    }

    /**
     * Creates the bootstrap admin if the name is free, or checks that the account of that name is the one the
     * bootstrap created. Returns its id if the configured password is no longer its password.
     */
    @Transactional
    public Optional<UUID> ensureAdmin(String rawUsername, String password) {
        Username username = Username.of(rawUsername);
        UserAccount account = accounts.findByUsername(username).orElse(null);
        if (account == null) {
            UserAccount admin = newAccount(username, hasher.hash(password), ROLE_USER + "," + ROLE_ADMIN);
            admin.bootstrapAdmin = true;
            accounts.persistAndFlush(admin);
            return Optional.empty();
        }
        if (!account.bootstrapAdmin) {
            throw new AdminNameTakenException(username.canonical());
        }
        if (!account.roleList().contains(ROLE_ADMIN)) {
            account.roles = account.roles + "," + ROLE_ADMIN;
        }
        return hasher.verify(password, account.passwordHash) ? Optional.empty() : Optional.of(account.id);
    }

    /** Gives the bootstrap admin the configured password; revoking its sessions is the caller's part. */
    @Transactional
    public void resetAdminPassword(UUID id, String password) {
        UserAccount account = accounts.findByIdOptional(id).filter(found -> found.bootstrapAdmin)
                .orElseThrow(AccountNotFoundException::new);
        account.passwordHash = hasher.hash(password);
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
