package dev.tokenservice.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.token.TokenConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * The client's address for login throttling: the peer's address, unless the peer is a configured trusted
 * proxy, in which case the nearest untrusted hop named in {@code Forwarded} or {@code X-Forwarded-For}.
 */
@ApplicationScoped
public class ClientAddress {

    private final List<Range> trustedProxies;

    public ClientAddress(TokenConfig config) {
        this.trustedProxies = config.login().trustedProxies().orElse(List.of()).stream().map(Range::parse).toList();
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = forwardedHops(request);
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }

    private boolean isTrusted(String address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }

    private static List<String> forwardedHops(HttpServerRequest request) {
        List<String> hops = new ArrayList<>();
        String forwarded = request.getHeader("Forwarded");
        if (forwarded != null) {
            for (String element : forwarded.split(",")) {
                for (String pair : element.split(";")) {
                    String[] kv = pair.strip().split("=", 2);
                    if (kv.length == 2 && kv[0].equalsIgnoreCase("for")) {
                        hops.add(withoutPort(kv[1].replace("\"", "")));
                    }
                }
            }
            return hops;
        }
        String xff = request.getHeader("X-Forwarded-For");
        if (xff != null) {
            for (String hop : xff.split(",")) {
                hops.add(hop.strip());
            }
        }
        return hops;
    }

    /** {@code [v6]:port} to {@code v6}, {@code v4:port} to {@code v4}; anything else as it is. */
    private static String withoutPort(String node) {
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end > 0 ? node.substring(1, end) : node;
        }
        return node.indexOf(':') == node.lastIndexOf(':') && node.contains(":") ? node.substring(0, node.indexOf(':')) : node;
    }

    /** An address or CIDR range, IPv4 or IPv6. */
    record Range(BigInteger network, int prefix, int bits) {

        static Range parse(String text) {
            String[] parts = text.strip().split("/");
            byte[] address = bytes(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
            }
            int bits = address.length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            return new Range(new BigInteger(1, address).shiftRight(bits - prefix), prefix, bits);
        }

        boolean contains(String text) {
            byte[] address = bytes(text);
            return address != null && address.length * 8 == bits
                    && new BigInteger(1, address).shiftRight(bits - prefix).equals(network);
        }

        /** Parses a literal address only: never a DNS look-up. */
        private static byte[] bytes(String text) {
            if (text == null || text.isEmpty() || !text.matches("[0-9a-fA-F:.]+")) {
                return null;
            }
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
