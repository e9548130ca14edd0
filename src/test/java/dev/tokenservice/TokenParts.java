package dev.tokenservice;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.restassured.path.json.JsonPath;

/** The decoded header and claims of a compact JWS, as a client reads them (no signature check). */
public final class TokenParts {

    private TokenParts() {
    }

    public static JsonPath header(String token) {
        return segment(token, 0);
    }

    public static JsonPath claims(String token) {
        return segment(token, 1);
    }

    /** The JSON text of one segment: 0 the header, 1 the claims. */
    public static String json(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }

    private static JsonPath segment(String token, int index) {
        return new JsonPath(json(token, index));
    }
}
