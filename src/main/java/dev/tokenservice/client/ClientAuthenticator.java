package dev.tokenservice.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tokenservice.Sha256;
import dev.tokenservice.account.FailedAttempts;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Authenticates a confidential client by HTTP Basic (RFC 6749 §2.3.1: the form-urlencoded id and secret, joined by
 * a colon, in base64). Failed authentications are throttled like logins ({@code auth.login.*} limits), per client
 * id and per client address, across all nodes; a burst of concurrent guesses gets no more secret checks than the
 * limit.
 * <p>
 * A gateway presents the same credentials on every call, so credentials that authenticated on this node within
 * {@link #REMEMBERED} are accepted again without the shared counters (no Redis call), unless this node has seen a
 * failure for that client id or from that address within the throttling window: then every attempt goes through
 * the counters again, and a guesser during a lockout cannot tell the right secret from a wrong one.
 */
@ApplicationScoped
public class ClientAuthenticator {

    /** The {@code WWW-Authenticate} challenge of a 401 {@code invalid_client}. */
    public static final String CHALLENGE = "Basic realm=\"token-service\"";
    private static final String SCHEME = "Basic ";
    /** Longer than any credentials we register, so decoding costs little whatever is sent. */
    private static final int MAX_CREDENTIALS = 2048;

    static final Duration REMEMBERED = Duration.ofMinutes(5);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final ClientRegistry registry;
    private final FailedAttempts attempts;
    /** Clients by the SHA-256 of an {@code Authorization} value that authenticated them lately. */
    private final Cache<String, RegisteredClient> remembered;
    /** {@code id:<client id>} and {@code addr:<address>} that this node saw fail or be throttled lately. */
    private final Cache<String, Boolean> failing;

    public ClientAuthenticator(ClientRegistry registry, RedisDataSource redis, TokenConfig config) {
        this.registry = registry;
        this.remembered = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(REMEMBERED).build();
        this.failing = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.login().window()).build();
        this.attempts = new FailedAttempts(redis, "auth:client-failures:client:", "auth:client-failures:addr:",
                config.login().maxFailures(), config.login().maxFailuresPerAddress(), config.login().window());
    }

    /**
     * The confidential client whose credentials the {@code Authorization} header value carries.
     *
     * @throws InvalidClientException no, malformed or wrong credentials, or not a confidential client
     * @throws TooManyClientAttemptsException the client id or the address is over its failure limit
     */
    public RegisteredClient authenticate(String authorization, String clientAddress) {
        Credentials credentials = parse(authorization);
        String digest = B64URL.encodeToString(Sha256.of(authorization));
        RegisteredClient known = remembered.getIfPresent(digest);
        if (known != null && failing.getIfPresent("id:" + known.id()) == null
                && failing.getIfPresent("addr:" + clientAddress) == null) {
            return known;
        }
        RegisteredClient client = check(credentials, clientAddress);
        remembered.put(digest, client);
        return client;
    }

    private RegisteredClient check(Credentials credentials, String clientAddress) {
        long wait = attempts.reserve(credentials.id(), clientAddress);
        if (wait != -1) {
            markFailing(credentials.id(), clientAddress);
            throw new TooManyClientAttemptsException(wait);
        }
        RegisteredClient client;
        try {
            client = registry.authenticate(credentials.id(), credentials.secret()).orElse(null);
        } catch (RuntimeException e) {
            attempts.release(credentials.id(), clientAddress);
            throw e;
        }
        if (client == null) {
            markFailing(credentials.id(), clientAddress);
            attempts.recordFailure(credentials.id(), clientAddress);
            throw new InvalidClientException();
        }
        attempts.recordSuccess(credentials.id(), clientAddress);
        return client;
    }

    private void markFailing(String id, String clientAddress) {
        failing.put("id:" + id, Boolean.TRUE);
        failing.put("addr:" + clientAddress, Boolean.TRUE);
    }

    private static Credentials parse(String authorization) {
        if (authorization == null || authorization.length() > MAX_CREDENTIALS
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new InvalidClientException();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(SCHEME.length()).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new InvalidClientException();
            }
            return new Credentials(formDecode(decoded.substring(0, colon)), formDecode(decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new InvalidClientException();
        }
    }

    private static String formDecode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private record Credentials(String id, String secret) {
    }
}
