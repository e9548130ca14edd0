package dev.tokenservice.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void rangesMatchAddressesInsideOnly() {
        assertTrue(ClientAddress.Range.parse("10.0.0.0/8").contains("10.200.3.4"));
        assertFalse(ClientAddress.Range.parse("10.0.0.0/8").contains("11.0.0.1"));
        assertTrue(ClientAddress.Range.parse("127.0.0.1").contains("127.0.0.1"));
        assertFalse(ClientAddress.Range.parse("127.0.0.1").contains("127.0.0.2"));
        assertTrue(ClientAddress.Range.parse("2001:db8::/32").contains("2001:db8:1::5"));
        assertFalse(ClientAddress.Range.parse("2001:db8::/32").contains("10.0.0.1"));
        assertFalse(ClientAddress.Range.parse("10.0.0.0/8").contains("evil.example"));
    }
}
