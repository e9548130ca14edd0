package dev.tokenservice.account;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Failed-login counters ({@link FailedAttempts}): one per canonical username, whether or not the account exists,
 * and one per client address, across all nodes.
 */
@ApplicationScoped
public class LoginAttemptStore {

    private final FailedAttempts attempts;

    public LoginAttemptStore(RedisDataSource redis, TokenConfig config) {
        this.attempts = new FailedAttempts(redis, "auth:login-failures:user:", "auth:login-failures:addr:",
                config.login().maxFailures(), config.login().maxFailuresPerAddress(), config.login().window());
    }

    /**
     * Admits one password check for the username and the address, unless their failures and attempts in flight
     * have reached a limit: then nothing is counted and {@link TooManyLoginAttemptsException} is thrown.
     */
    public void reserve(String username, String address) {
        long seconds = attempts.reserve(canonical(username), address);
        if (seconds != -1) {
            throw new TooManyLoginAttemptsException(seconds);
        }
    }

    /**
     * The password was wrong: a failure of the username and of the address for the window. Returns the lockouts
     * this failure began, if it took a counter to its limit.
     */
    public List<FailedAttempts.Lockout> recordFailure(String username, String address) {
        return attempts.recordFailure(canonical(username), address);
    }

    /** The password was right: the username's failures are cleared. */
    public void recordSuccess(String username, String address) {
        attempts.recordSuccess(canonical(username), address);
    }

    /** The admitted attempt checked no password (the node was busy, a store failed): it counts for nothing. */
    public void release(String username, String address) {
        attempts.release(canonical(username), address);
    }

    /** The name the username's counter is kept under: its canonical form, or as sent when it is no valid name. */
    public static String canonical(String username) {
        try {
            return Username.of(username).canonical();
        } catch (InvalidUsernameException e) {
            return username;
        }
    }
}
