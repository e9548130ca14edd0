package dev.tokenservice.web;

import static dev.tokenservice.web.ClientAddress.literal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tokenservice.token.TokenConfig.Login.ForwardedHeader;

class ClientAddressTest {

    private final ClientAddress behindBalancer =
            new ClientAddress(List.of("127.0.0.1", "::1", "10.0.0.0/8"), ForwardedHeader.X_FORWARDED_FOR);
    private final ClientAddress behindForwarded =
            new ClientAddress(List.of("127.0.0.1"), ForwardedHeader.FORWARDED);

    @Test
    void rangesMatchAddressesInsideOnly() {
        assertTrue(ClientAddress.Range.parse("10.0.0.0/8").contains(literal("10.200.3.4")));
        assertFalse(ClientAddress.Range.parse("10.0.0.0/8").contains(literal("11.0.0.1")));
        assertTrue(ClientAddress.Range.parse("127.0.0.1").contains(literal("127.0.0.1")));
        assertFalse(ClientAddress.Range.parse("127.0.0.1").contains(literal("127.0.0.2")));
        assertTrue(ClientAddress.Range.parse("2001:db8::/32").contains(literal("2001:db8:1::5")));
        assertFalse(ClientAddress.Range.parse("2001:db8::/32").contains(literal("10.0.0.1")));
        assertTrue(ClientAddress.Range.parse("0.0.0.0/0").contains(literal("203.0.113.9")));
    }

    @Test
    void rangesThatAreNotLiteralsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.Range.parse("proxy.internal"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.Range.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.Range.parse("10.0.0.0/-1"));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertEquals("203.0.113.9", behindBalancer.of("203.0.113.9", List.of("198.51.100.1")));
        assertEquals("127.0.0.1", behindBalancer.of("127.0.0.1", List.of()));
    }

    @Test
    void theNearestUntrustedHopFromTheRightWins() {
        assertEquals("198.51.100.7", behindBalancer.of("127.0.0.1", List.of("192.0.2.1, 198.51.100.7")));
        assertEquals("198.51.100.7",
                behindBalancer.of("10.0.0.3", List.of("192.0.2.1, 198.51.100.7, 10.0.0.2, 10.9.9.9")));
    }

    @Test
    void everyHeaderLineCountsAndTheLastIsNearest() {
        // what "option forwardfor" makes of a client's own header: the balancer's line comes last
        assertEquals("198.51.100.7", behindBalancer.of("127.0.0.1", List.of("192.0.2.1", "198.51.100.7")));
        assertEquals("198.51.100.7",
                behindBalancer.of("127.0.0.1", List.of("192.0.2.1, 192.0.2.2", "198.51.100.7, 10.0.0.2")));
    }

    @Test
    void onlyTrustedHopsGiveTheLeftmostOfThem() {
        assertEquals("10.0.0.2", behindBalancer.of("127.0.0.1", List.of("10.0.0.2, 10.0.0.1")));
    }

    @Test
    void ipv6HopsAreCanonical() {
        assertEquals("2001:db8::1", behindBalancer.of("::1", List.of("2001:DB8:0:0:0:0:0:1")));
        assertEquals("2001:db8::1", behindBalancer.of("0:0:0:0:0:0:0:1", List.of("[2001:db8::1]:4711")));
        assertEquals("203.0.113.9", behindBalancer.of("127.0.0.1", List.of("::ffff:203.0.113.9")));
        assertEquals("203.0.113.9", behindBalancer.of("127.0.0.1", List.of("203.0.113.9:50123")));
        assertEquals("2001:db8::5", behindBalancer.of("2001:db8:0::5", List.of()));
    }

    @Test
    void aHopThatIsNoAddressCountsAgainstTheProxyThatPassedItOn() {
        for (String hop : List.of("evil.example", "localhost", "cafe", "unknown", "", "1.2.3", "1.2.3.4.5",
                "999.1.1.1", "_hidden", "2001:db8::1::2")) {
            assertEquals("127.0.0.1", behindBalancer.of("127.0.0.1", List.of(hop)), hop);
        }
        assertEquals("10.0.0.2", behindBalancer.of("127.0.0.1", List.of("198.51.100.7, evil.example, 10.0.0.2")));
        assertEquals("127.0.0.1", behindBalancer.of("127.0.0.1", List.of("198.51.100.7,")));
    }

    @Test
    void hopsAreNeverLookedUpInDns() {
        assertNull(literal("localhost"));
        assertNull(literal("cafe"));
        assertNull(literal("dead.beef"));
    }

    @Test
    void theAddressIsBoundedWhateverTheHeaderHolds() {
        String huge = "9".repeat(100_000);
        String manyHops = "2001:db8::1, ".repeat(10_000) + "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe";
        assertEquals("127.0.0.1", behindBalancer.of("127.0.0.1", List.of(huge)));
        String address = behindBalancer.of("127.0.0.1", List.of(manyHops));
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", address);
        assertTrue(address.length() <= 39);
        assertEquals(ClientAddress.UNKNOWN, behindBalancer.of(null, List.of("198.51.100.7")));
    }

    @Test
    void forwardedElementsAreHopsToo() {
        assertEquals("2001:db8:cafe::17", behindForwarded.of("127.0.0.1",
                List.of("for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"")));
        assertEquals("198.51.100.7", behindForwarded.of("127.0.0.1", List.of("for=192.0.2.60", "for=198.51.100.7")));
        assertEquals("127.0.0.1", behindForwarded.of("127.0.0.1", List.of("for=198.51.100.7, proto=https")));
        assertEquals("127.0.0.1", behindForwarded.of("127.0.0.1", List.of("for=unknown")));
    }
}
