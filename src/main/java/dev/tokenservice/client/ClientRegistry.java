package dev.tokenservice.client;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.Sha256;

/**
 * The configured clients ({@code auth.clients.*}), checked once at startup: a node with an inconsistent client
 * refuses to start rather than run with a client it cannot honour.
 */
@ApplicationScoped
public class ClientRegistry {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** Compared against when the client is unknown, so an unknown id takes as long as a wrong secret. */
    private static final byte[] NO_SECRET = new byte[32];
    /** The {@code grant-types} of a confidential client that only introspects and reads the feed. */
    private static final String NO_GRANT_TYPE = "none";

    private final Map<String, RegisteredClient> clients = new TreeMap<>();
    private final Map<String, byte[]> secretDigests = new TreeMap<>();
    private final RegisteredClient defaultClient;
    private final String audience;
    private final int maxIdLength;

    public ClientRegistry(ClientConfig config) {
        config.clients().forEach(this::register);
        this.audience = config.audience();
        this.maxIdLength = clients.keySet().stream().mapToInt(String::length).max().orElse(0);
        this.defaultClient = clients.get(config.defaultClient());
        if (defaultClient == null || defaultClient.isConfidential()) {
            throw new IllegalStateException("auth.default-client must name a public client in auth.clients, not '"
                    + config.defaultClient() + "'");
        }
    }

    /** This service's own audience ({@code auth.audience}). */
    public String audience() {
        return audience;
    }

    /** The client of requests that name none ({@code auth.default-client}). */
    public RegisteredClient defaultClient() {
        return defaultClient;
    }

    /** The length of the longest registered client id: a longer one names no client. */
    public int maxIdLength() {
        return maxIdLength;
    }

    public Optional<RegisteredClient> find(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    /**
     * The client a login or refresh acts for: the default one when the request names none, otherwise a public
     * client allowed that grant. A confidential client cannot be named without its secret.
     */
    public RegisteredClient publicClient(String id, GrantType grantType) {
        if (id == null) {
            return defaultClient;
        }
        RegisteredClient client = clients.get(id);
        if (client == null || client.isConfidential() || !client.allows(grantType)) {
            throw new UnknownClientException("client_id does not name a public client allowed the "
                    + grantType.value() + " grant");
        }
        return client;
    }

    /** The confidential client with this id and secret; in time independent of which of them is wrong. */
    public Optional<RegisteredClient> authenticate(String id, String secret) {
        byte[] expected = secretDigests.getOrDefault(id, NO_SECRET);
        boolean matches = MessageDigest.isEqual(expected, Sha256.of(secret));
        return matches && expected != NO_SECRET ? Optional.of(clients.get(id)) : Optional.empty();
    }

    private void register(String id, ClientConfig.Client config) {
        Set<GrantType> grantTypes = new LinkedHashSet<>();
        List<String> names = config.grantTypes().orElse(List.of());
        if (!names.equals(List.of(NO_GRANT_TYPE))) {
            for (String name : names) {
                grantTypes.add(GrantType.of(name).orElseThrow(() -> invalid(id, "unknown grant type '" + name + "'")));
            }
        }
        if (grantTypes.isEmpty() && config.type() != ClientType.CONFIDENTIAL) {
            throw invalid(id, "a public client needs grant-types");
        }
        if (config.audiences().isEmpty()) {
            throw invalid(id, "audiences must not be empty");
        }
        if (config.type() == ClientType.CONFIDENTIAL) {
            String digest = config.secretSha256()
                    .orElseThrow(() -> invalid(id, "a confidential client needs secret-sha256"));
            if (!SHA256_HEX.matcher(digest).matches()) {
                throw invalid(id, "secret-sha256 must be 64 lowercase hex digits");
            }
            secretDigests.put(id, HexFormat.of().parseHex(digest));
        } else if (config.secretSha256().isPresent() || grantTypes.contains(GrantType.CLIENT_CREDENTIALS)) {
            throw invalid(id, "a public client has no secret and no client_credentials grant");
        }
        if (!List.of("optional", "required").contains(config.dpop())) {
            throw invalid(id, "dpop must be 'optional' or 'required'");
        }
        clients.put(id, new RegisteredClient(id, config.type(), Set.copyOf(grantTypes),
                List.copyOf(config.audiences()), Set.copyOf(config.scopes().orElse(List.of())),
                "required".equals(config.dpop())));
    }

    private static IllegalStateException invalid(String id, String problem) {
        return new IllegalStateException("auth.clients." + id + ": " + problem);
    }
}
