package dev.tokenservice;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Failed logins and client authentications throttled at 3 per name and 6 per address a minute; the test client
 * is a trusted proxy, so each test may speak for its own addresses through X-Forwarded-For.
 */
public class SmallThrottleLimits implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("auth.login.max-failures", "3", "auth.login.max-failures-per-address", "6",
                "auth.login.window", "1M", "auth.login.trusted-proxies", "127.0.0.1,::1");
    }
}
