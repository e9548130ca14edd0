package dev.tokenservice.token;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Token lifetimes, issuer and the optional bootstrap admin, under {@code auth.*}. */
@ConfigMapping(prefix = "auth")
public interface TokenConfig {

    /** The {@code iss} of every token; verification requires it. */
    @WithDefault("token-service")
    String issuer();

    /**
     * The service's public base URL (scheme, host, optional path), under which discovery names the endpoints; unset,
     * {@code auth.issuer} serves when it is a URL. The request's {@code Host} header is never used.
     */
    Optional<String> publicUrl();

    /** Leeway for {@code exp}, {@code nbf} and {@code iat} when verifying. */
    @WithDefault("5S")
    Duration clockSkew();

    AccessToken accessToken();

    RefreshToken refreshToken();

    Admin admin();

    SigningKey signingKey();

    Login login();

    Revocation revocation();

    Jwks jwks();

    PasswordHashing passwordHashing();

    interface Revocation {
        /** How long the revocation mirror may go without hearing from Redis before tokens get 503. */
        @WithDefault("2S")
        Duration maxStaleness();

        /**
         * Replicas to wait for (Redis {@code WAIT}) after a revocation is written, before it is acknowledged; 0 for
         * a single Redis, at least 1 behind Sentinel. Fewer in time is counted and logged, not refused: PostgreSQL
         * holds the revocation already, and the mirror writes back what a failover lost.
         */
        @WithDefault("0")
        int minReplicas();

        /** How long to wait for those replicas. */
        @WithDefault("1S")
        Duration replicaTimeout();

        /**
         * Access tokens of one session that RFC 7009 may revoke one by one within an access-token lifetime; the next
         * one revokes the whole session. Every node holds every live revocation, so what one login can make the
         * nodes hold is bounded, instead of growing with every refresh.
         */
        @WithDefault("5")
        int maxTokensPerSession();
    }

    interface Jwks {
        /**
         * How long consumers and HTTP caches may keep the JWKS ({@code Cache-Control: max-age}). A key retired at once
         * is refused by every node immediately and announced on the revocation feed, not by the JWKS.
         */
        @WithDefault("5M")
        Duration maxAge();
    }

    interface PasswordHashing {
        /** Argon2 computations at once (each holds 19 MiB); 0 means one per processor. */
        @WithDefault("0")
        int maxConcurrent();

        /** Requests that may wait for a turn; beyond them the answer is 503 with Retry-After. */
        @WithDefault("64")
        int maxQueued();

        /** How long a queued request waits for a turn before it gets 503. */
        @WithDefault("10S")
        Duration maxWait();
    }

    interface AccessToken {
        /** How long an access token is valid after issue. */
        @WithDefault("15M")
        Duration lifetime();

        /**
         * The heap each node gives to verified tokens, so a token's signature is checked once, not per request: an
         * entry weighs about 4 KiB ({@link TokenVerifier#weight}). A token pushed out is verified again when seen.
         */
        @WithDefault("16M")
        MemorySize cacheMemory();
    }

    interface RefreshToken {
        /** How long a session lives, counted from login; rotation does not extend it. */
        @WithDefault("30D")
        Duration lifetime();

        /** How long a spent refresh token may be retried for its same successor. */
        @WithDefault("10S")
        Duration reuseGrace();
    }

    interface Admin {
        /** Username of the bootstrap admin; with {@link #password()} it exists after startup. */
        Optional<String> username();

        /** Password of the bootstrap admin. */
        Optional<String> password();
    }

    interface Login {
        /** Failed logins for one username within {@link #window()} before further attempts get 429. */
        @WithDefault("5")
        int maxFailures();

        /** Failed logins from one client address within {@link #window()} before further attempts get 429. */
        @WithDefault("100")
        int maxFailuresPerAddress();

        /** How long failures are counted. */
        @WithDefault("15M")
        Duration window();

        /** Proxies (IP addresses or CIDR ranges) whose {@link #forwardedHeader()} is believed. */
        Optional<List<String>> trustedProxies();

        /** The one header naming the client that the trusted proxies set; the other is never read. */
        @WithDefault("x-forwarded-for")
        ForwardedHeader forwardedHeader();

        enum ForwardedHeader {
            X_FORWARDED_FOR,
            FORWARDED
        }
    }

    interface SigningKey {
        /**
         * An operator-supplied EC P-256 private key (PKCS#8 PEM) to sign with instead of a generated one. A new PEM
         * supersedes the previous keys as a rotation does: they verify until their last token expires.
         */
        Optional<String> pem();

        /**
         * The key-encryption key: any secret string, from which an AES-256 key is derived that encrypts the
         * signing key's private half in PostgreSQL. Unset, private keys are stored unencrypted.
         */
        Optional<String> encryptionKey();

        /** When set, every node checks twice a minute and one of them rotates once the active key is this old. */
        Optional<Duration> rotationInterval();

        /**
         * How long the next key is published in the JWKS before a rotation makes it sign; unset, the JWKS max-age,
         * so that a consumer's cached JWKS always holds the key of any token it meets.
         */
        Optional<Duration> prePublication();

        /** How often each node re-reads the key set, as a backstop to rotation announcements. */
        @WithDefault("10S")
        Duration reloadInterval();
    }
}
