package dev.tokenservice.account;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tokenservice.event.RevokeReason;
import dev.tokenservice.token.TokenConfig;
import dev.tokenservice.token.TokenService;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates the admin account named by {@code auth.admin.*} when the service starts, or brings the account it
 * created before up to date. A name that belongs to any other account stops the node from starting.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final int ATTEMPTS = 3;

    private final AccountService accounts;
    private final TokenService tokens;

    public AdminBootstrap(AccountService accounts, TokenService tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    void onStart(@Observes StartupEvent event, TokenConfig config) {
        var admin = config.admin();
        if (admin.username().isEmpty() || admin.password().isEmpty()) {
            return;
        }
        String username = admin.username().get();
        String password = admin.password().get();
        Optional<UUID> stalePassword = withRetries("admin bootstrap raced another node",
                () -> accounts.ensureAdmin(username, password));
        stalePassword.ifPresent(id -> changePassword(id, password));
        Log.infof("admin account '%s' is ready", username);
    }

    /**
     * Revokes the admin's sessions before and after the new password is stored: if Redis is down nothing
     * changes (the next start tries again), and a login with the old password in between is revoked too.
     */
    private void changePassword(UUID id, String password) {
        revokeSessions(id);
        accounts.resetAdminPassword(id, password);
        revokeSessions(id);
        Log.info("the admin password changed: every session of the admin is revoked");
    }

    private void revokeSessions(UUID id) {
        withRetries("could not revoke the admin's sessions", () -> {
            tokens.revokeUser(id, RevokeReason.PASSWORD_CHANGE);
            return null;
        });
    }

    private static <T> T withRetries(String failure, Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (AdminNameTakenException e) {
                Log.error(e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    Log.errorf("%s %d times; the node does not start: %s", failure, ATTEMPTS, e.getMessage());
                    throw e;
                }
                Log.debugf(e, "%s; retrying", failure);
                sleep(attempt);
            }
        }
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(500L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the admin bootstrap", e);
        }
    }
}
