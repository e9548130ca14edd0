package dev.tokenservice.session;

/**
 * What a login tells about the session it opens: its client, the DPoP key it binds to (null: none), and where it
 * came from, as the session list shows it.
 */
public record SessionOrigin(String clientId, String dpopJkt, String userAgent, String address) {

    public static final int MAX_USER_AGENT = 200;

    public SessionOrigin {
        userAgent = device(userAgent);
    }

    /** The header cut to {@link #MAX_USER_AGENT} characters (never inside a surrogate pair), controls blanked. */
    public static String device(String userAgent) {
        if (userAgent == null) {
            return null;
        }
        String cut = userAgent.strip();
        if (cut.length() > MAX_USER_AGENT) {
            int end = Character.isHighSurrogate(cut.charAt(MAX_USER_AGENT - 1)) ? MAX_USER_AGENT - 1 : MAX_USER_AGENT;
            cut = cut.substring(0, end);
        }
        cut = cut.replaceAll("\\p{Cntrl}", " ").strip();
        return cut.isEmpty() ? null : cut;
    }
}
