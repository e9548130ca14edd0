package dev.tokenservice.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tokenservice.token.TokenConfig;
import dev.tokenservice.token.TokenConfig.Login.ForwardedHeader;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;

/**
 * The client's address for login throttling: the TCP peer, unless the peer is a configured trusted proxy; then
 * the nearest hop, counted from the right over every line of the one forwarding header the balancer sets
 * ({@code auth.login.forwarded-header}), that is not itself a trusted proxy. Hops further left are written by
 * the client and never believed.
 *
 * <p>Quarkus' own support ({@code quarkus.http.proxy.*}) stays off: in 3.34 it reads only the first line of
 * {@code X-Forwarded-For} and takes its leftmost value (and the first {@code for=} of {@code Forwarded}), which
 * is whatever the client sent whenever the balancer appends rather than overwrites.
 *
 * <p>The answer is canonical IP text (at most 39 characters) or {@value #UNKNOWN}: it becomes a Redis key, so
 * its size is bounded. A hop that is not an IP literal is never resolved; the request then counts against the
 * trusted proxy that passed it on, so garbage hops share one bucket instead of minting new ones.
 */
@ApplicationScoped
public class ClientAddress {

    static final String UNKNOWN = "unknown";
    /** Longer than any IP literal with a numeric zone, so validating a hop costs little whatever is sent. */
    private static final int MAX_LITERAL = 64;

    private final List<Range> trustedProxies;
    private final ForwardedHeader header;

    @Inject
    public ClientAddress(TokenConfig config) {
        this(config.login().trustedProxies().orElse(List.of()), config.login().forwardedHeader());
    }

    ClientAddress(List<String> trustedProxies, ForwardedHeader header) {
        this.trustedProxies = trustedProxies.stream().map(Range::parse).toList();
        this.header = header;
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String name = header == ForwardedHeader.FORWARDED ? "Forwarded" : "X-Forwarded-For";
        return of(peer, request.headers().getAll(name));
    }

    /** The client address for a peer and the lines of the forwarding header, in the order they arrived. */
    String of(String peer, List<String> headerLines) {
        InetAddress client = literal(peer);
        if (client == null) {
            return UNKNOWN;
        }
        List<String> hops = header == ForwardedHeader.FORWARDED ? forwardedHops(headerLines) : xffHops(headerLines);
        for (int i = hops.size() - 1; i >= 0 && isTrusted(client); i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
        }
        return NetUtil.toAddressString(client);
    }

    private boolean isTrusted(InetAddress address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }

    private static List<String> xffHops(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String hop : line.split(",", -1)) {
                hops.add(withoutPort(hop.strip()));
            }
        }
        return hops;
    }

    /** One hop per element; an element without {@code for=} is an unknown hop. */
    private static List<String> forwardedHops(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String element : line.split(",", -1)) {
                String node = "";
                for (String pair : element.split(";")) {
                    String[] kv = pair.strip().split("=", 2);
                    if (kv.length == 2 && kv[0].equalsIgnoreCase("for")) {
                        node = kv[1].strip().replace("\"", "");
                    }
                }
                hops.add(withoutPort(node));
            }
        }
        return hops;
    }

    /** {@code [v6]:port} and {@code [v6]} to {@code v6}, {@code v4:port} to {@code v4}; anything else as it is. */
    private static String withoutPort(String node) {
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end > 0 ? node.substring(1, end) : node;
        }
        int colon = node.indexOf(':');
        return colon >= 0 && colon == node.lastIndexOf(':') ? node.substring(0, colon) : node;
    }

    /**
     * An IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4), or null: parsed as text, never looked up in DNS,
     * unlike {@code InetAddress.getByName}, which resolves anything that is not a literal.
     */
    static InetAddress literal(String text) {
        if (text == null || text.length() > MAX_LITERAL) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address or CIDR range, IPv4 or IPv6. */
    record Range(BigInteger network, int prefix, int bits) {

        static Range parse(String text) {
            String[] parts = text.strip().split("/", 2);
            InetAddress address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
            }
            int bits = address.getAddress().length * 8;
            int prefix = parts.length == 2 ? prefix(parts[1], bits, text) : bits;
            return new Range(new BigInteger(1, address.getAddress()).shiftRight(bits - prefix), prefix, bits);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length * 8 == bits && new BigInteger(1, bytes).shiftRight(bits - prefix).equals(network);
        }

        private static int prefix(String text, int bits, String range) {
            int prefix = text.matches("\\d{1,3}") ? Integer.parseInt(text) : -1;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + range);
            }
            return prefix;
        }
    }
}
