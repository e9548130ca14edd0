package dev.tokenservice.account;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A username as shown ({@code display}, NFKC) and as compared ({@code canonical}, NFKC and lower case),
 * so that {@code Admin} and fullwidth {@code ａｄｍｉｎ} name the same account.
 */
public record Username(String display, String canonical) {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 64;

    public static Username of(String raw) {
        if (raw == null) {
            throw new InvalidUsernameException("username is required");
        }
        String display = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        int length = display.codePointCount(0, display.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidUsernameException(
                    "username must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " characters");
        }
        if (display.codePoints().anyMatch(Username::isForbidden)) {
            throw new InvalidUsernameException("username must not contain control or invisible characters");
        }
        if (!display.strip().equals(display)) {
            throw new InvalidUsernameException("username must not start or end with white space");
        }
        String canonical = Normalizer.normalize(display.toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
        return new Username(display, canonical);
    }

    private static boolean isForbidden(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }
}
