package dev.tokenservice.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/** The double-submit check: the {@code X-CSRF-Token} header must equal the CSRF cookie. */
public final class Csrf {

    private Csrf() {
    }

    public static void check(HttpServerRequest request) {
        Cookie cookie = request.getCookie(TokenCookies.CSRF);
        String header = request.getHeader(TokenCookies.CSRF_HEADER);
        if (cookie == null || header == null || cookie.getValue().isEmpty()
                || !MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8),
                        header.getBytes(StandardCharsets.UTF_8))) {
            throw new CsrfException();
        }
    }

    /** Whether the method may change state (everything but GET, HEAD and OPTIONS). */
    public static boolean isUnsafe(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }
}
