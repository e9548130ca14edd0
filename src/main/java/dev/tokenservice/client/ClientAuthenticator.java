package dev.tokenservice.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tokenservice.Sha256;
import dev.tokenservice.event.NewSecurityEvent;
import dev.tokenservice.event.SecurityEventType;
import dev.tokenservice.event.SecurityEvents;
import dev.tokenservice.revocation.RevocationUnavailableException;
import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Authenticates a confidential client by HTTP Basic (RFC 6749 §2.3.1: the form-urlencoded id and secret, joined by
 * a colon, in base64). Wrong secrets are throttled per client address, and per registered client id from that
 * address, across all nodes ({@link ClientAttempts}, with the {@code auth.login.*} limits); the right secret from an
 * address that did not fail is never refused, whatever others guess.
 * <p>
 * A gateway presents the same credentials on every call, so credentials that were admitted from an address within
 * {@link #REMEMBERED} are accepted again from it without a Redis call. Only admitted credentials are remembered, by
 * the digest of the header and the address: nothing a request with wrong credentials sends is kept in memory.
 */
@ApplicationScoped
public class ClientAuthenticator {

    /** The {@code WWW-Authenticate} challenge of a 401 {@code invalid_client}. */
    public static final String CHALLENGE = "Basic realm=\"token-service\"";
    private static final String SCHEME = "Basic ";
    /** Longer than any credentials we register, so decoding costs little whatever is sent. */
    private static final int MAX_CREDENTIALS = 2048;
    /** Admitted credentials per address: a few per confidential client, each about 200 bytes. */
    private static final int MAX_REMEMBERED = 10_000;

    static final Duration REMEMBERED = Duration.ofMinutes(1);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final ClientRegistry registry;
    private final ClientAttempts attempts;
    /** Clients by the SHA-256 of an {@code Authorization} value and the address it was admitted from. */
    private final Cache<String, RegisteredClient> remembered;
    private final SecurityEvents events;

    public ClientAuthenticator(ClientRegistry registry, RedisDataSource redis, TokenConfig config,
            SecurityEvents events) {
        this.registry = registry;
        this.events = events;
        this.remembered = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).expireAfterWrite(REMEMBERED).build();
        this.attempts = new ClientAttempts(redis, config.login().maxFailuresPerAddress(), config.login().maxFailures(),
                config.login().window());
    }

    /**
     * The confidential client whose credentials the {@code Authorization} header value carries.
     *
     * @throws InvalidClientException no, malformed or wrong credentials, or not a confidential client
     * @throws TooManyClientAttemptsException the address, or this client id from it, is over its failure limit
     */
    public RegisteredClient authenticate(String authorization, String clientAddress) {
        Credentials credentials = parse(authorization);
        String digest = digest(authorization, clientAddress);
        RegisteredClient known = remembered.getIfPresent(digest);
        if (known != null) {
            return known;
        }
        RegisteredClient client = registry.authenticate(credentials.id(), credentials.secret()).orElse(null);
        if (client == null) {
            refuse(credentials.id(), clientAddress);
        }
        admit(client, clientAddress);
        remembered.put(digest, client);
        return client;
    }

    /**
     * The client whose credentials were admitted from this address within {@link #REMEMBERED}, from memory alone
     * (no Redis, no secret check): for callers on the event loop, which take any other request to a worker thread.
     */
    public Optional<RegisteredClient> remembered(String authorization, String clientAddress) {
        if (authorization == null || authorization.length() > MAX_CREDENTIALS) {
            return Optional.empty();
        }
        return Optional.ofNullable(remembered.getIfPresent(digest(authorization, clientAddress)));
    }

    private static String digest(String authorization, String clientAddress) {
        return B64URL.encodeToString(Sha256.of(authorization + "\n" + clientAddress));
    }

    /**
     * A wrong secret: counted, then 401, or 429 once a limit is reached. The failure that reaches a limit is a
     * {@code client.throttled} event, one per counter and window.
     */
    private void refuse(String id, String clientAddress) {
        String registeredId = registry.find(id).isPresent() ? id : null;
        ClientAttempts.Failure failure = attempts.fail(clientAddress, registeredId);
        if (failure.lockedAddress()) {
            recordThrottled(registeredId, clientAddress, "address");
        }
        if (failure.lockedClient()) {
            recordThrottled(registeredId, clientAddress, "client");
        }
        if (failure.retryAfter() != -1) {
            throw new TooManyClientAttemptsException(failure.retryAfter());
        }
        throw new InvalidClientException();
    }

    /** An unregistered id is not written: it may be a secret sent in the wrong field. */
    private void recordThrottled(String registeredId, String clientAddress, String scope) {
        events.recordAlone(NewSecurityEvent.of(SecurityEventType.CLIENT_THROTTLED).client(registeredId)
                .from(clientAddress, null).with("scope", scope));
    }

    /**
     * The right secret, unless the address or this client from it is locked. A store that cannot be read does not
     * keep the right secret out: the lock only exists to stop guessing, which the store refuses while it is down.
     */
    private void admit(RegisteredClient client, String clientAddress) {
        long wait;
        try {
            wait = attempts.admit(clientAddress, client.id());
        } catch (RevocationUnavailableException e) {
            Log.debugf("client %s admitted without the failure counters: %s", client.id(), e.getCause());
            return;
        }
        if (wait != -1) {
            throw new TooManyClientAttemptsException(wait);
        }
    }

    /** The id and secret; an id longer than any registered one is refused before anything else is done with it. */
    private Credentials parse(String authorization) {
        if (authorization == null || authorization.length() > MAX_CREDENTIALS
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new InvalidClientException();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(SCHEME.length()).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0 || colon > 3 * registry.maxIdLength()) {
                throw new InvalidClientException();
            }
            String id = formDecode(decoded.substring(0, colon));
            if (id.length() > registry.maxIdLength()) {
                throw new InvalidClientException();
            }
            return new Credentials(id, formDecode(decoded.substring(colon + 1)));
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
