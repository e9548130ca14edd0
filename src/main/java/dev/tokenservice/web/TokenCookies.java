package dev.tokenservice.web;

import java.util.Base64;
import java.util.List;

import dev.tokenservice.RandomBytes;
import dev.tokenservice.token.TokenPair;

/**
 * The cookies of browser mode. Access and refresh tokens are {@code HttpOnly; Secure; SameSite=Strict}, the
 * refresh cookie scoped to {@code /auth/refresh}; a readable CSRF cookie carries the value that state-changing
 * requests must echo in {@value #CSRF_HEADER}.
 */
public final class TokenCookies {

    public static final String ACCESS = "__Host-access_token";
    public static final String REFRESH = "__Secure-refresh_token";
    public static final String CSRF = "__Host-csrf_token";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String REFRESH_PATH = "/auth/refresh";

    private TokenCookies() {
    }

    /** {@code Set-Cookie} values that hand a token pair to the browser with a fresh CSRF token. */
    public static List<String> issue(TokenPair pair) {
        byte[] csrf = RandomBytes.next(32);
        return List.of(
                cookie(ACCESS, pair.accessToken(), "/", pair.expiresIn(), true),
                cookie(REFRESH, pair.refreshToken(), REFRESH_PATH, pair.refreshExpiresIn(), true),
                cookie(CSRF, Base64.getUrlEncoder().withoutPadding().encodeToString(csrf), "/",
                        pair.refreshExpiresIn(), false));
    }

    /** {@code Set-Cookie} values that remove all three cookies. */
    public static List<String> clear() {
        return List.of(cookie(ACCESS, "", "/", 0, true), cookie(REFRESH, "", REFRESH_PATH, 0, true),
                cookie(CSRF, "", "/", 0, false));
    }

    private static String cookie(String name, String value, String path, long maxAge, boolean httpOnly) {
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + (httpOnly ? "; HttpOnly" : "")
                + "; Secure; SameSite=Strict";
    }
}
