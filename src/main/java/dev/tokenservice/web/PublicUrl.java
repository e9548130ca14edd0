package dev.tokenservice.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;

/**
 * The service's public base URL: {@code auth.public-url}, else {@code auth.issuer} when it is a URL, else unknown
 * (""), when endpoints are named by their paths from the root. Never the request's {@code Host}, which anyone sets.
 */
@ApplicationScoped
public class PublicUrl {

    private final String base;

    public PublicUrl(TokenConfig config) {
        this.base = baseOf(config.publicUrl(), config.issuer());
    }

    /** The base without a trailing slash, or "" when the service does not know its public address. */
    public String base() {
        return base;
    }

    public boolean isKnown() {
        return !base.isEmpty();
    }

    static String baseOf(Optional<String> publicUrl, String issuer) {
        String base = publicUrl.orElse(issuer);
        if (!isUrl(base)) {
            if (publicUrl.isPresent()) {
                throw new IllegalStateException("auth.public-url must be an http or https URL, not '" + base + "'");
            }
            Log.info("Neither auth.public-url nor auth.issuer is a URL: discovery names its endpoints by path, "
                    + "and DPoP proofs are checked by the path of their htu");
            return "";
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static boolean isUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
