package dev.tokenservice.revocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live revocations in memory: revoked token ids and sessions (each until the moment it can no longer matter)
 * and per-user cut-offs. Lookups are plain hash-map reads; nothing here talks to the network.
 */
public final class RevocationIndex {

    private final Map<UUID, Long> tokens = new ConcurrentHashMap<>();
    private final Map<UUID, Long> sessions = new ConcurrentHashMap<>();
    private final Map<UUID, Cutoff> users = new ConcurrentHashMap<>();

    /** A user's tokens issued before {@code before} are revoked; the entry matters until {@code until}. */
    private record Cutoff(long before, long until) {
    }

    public void revokeToken(UUID jti, long untilEpochSecond) {
        tokens.merge(jti, untilEpochSecond, Math::max);
    }

    public void revokeSession(UUID sid, long untilEpochSecond) {
        sessions.merge(sid, untilEpochSecond, Math::max);
    }

    public void revokeUser(UUID user, long beforeEpochSecond, long untilEpochSecond) {
        users.merge(user, new Cutoff(beforeEpochSecond, untilEpochSecond),
                (a, b) -> new Cutoff(Math.max(a.before(), b.before()), Math.max(a.until(), b.until())));
    }

    /** A client's own token has no session and no user: {@code sid} and {@code user} are then null. */
    public boolean isRevoked(UUID jti, UUID sid, UUID user, long issuedAtEpochSecond) {
        if (tokens.containsKey(jti) || (sid != null && sessions.containsKey(sid))) {
            return true;
        }
        Cutoff cutoff = user == null ? null : users.get(user);
        return cutoff != null && issuedAtEpochSecond < cutoff.before();
    }

    /**
     * Whether this index already holds {@code event} or a revocation that stops at least as much: the token revoked
     * at least as long, the session revoked, the user's cut-off as late or later. A key change is never held.
     */
    public boolean covers(RevocationEvent event) {
        return switch (event.kind()) {
            case RevocationEvent.TOKEN -> tokens.getOrDefault(event.subject(), Long.MIN_VALUE) >= event.until();
            case RevocationEvent.SESSION -> sessions.containsKey(event.subject());
            case RevocationEvent.USER -> {
                Cutoff cutoff = users.get(event.subject());
                yield cutoff != null && cutoff.before() >= event.before();
            }
            default -> false;
        };
    }

    /** Drops entries whose tokens have all expired. */
    public void evictExpired(long nowEpochSecond) {
        tokens.values().removeIf(until -> until < nowEpochSecond);
        sessions.values().removeIf(until -> until < nowEpochSecond);
        users.values().removeIf(cutoff -> cutoff.until() < nowEpochSecond);
    }

    /** Every entry, as the events that would rebuild it. */
    public List<RevocationEvent> entries() {
        List<RevocationEvent> entries = new ArrayList<>(size());
        tokens.forEach((jti, until) -> entries.add(new RevocationEvent(RevocationEvent.TOKEN, jti, until, 0)));
        sessions.forEach((sid, until) -> entries.add(new RevocationEvent(RevocationEvent.SESSION, sid, until, 0)));
        users.forEach((user, cutoff) -> entries.add(
                new RevocationEvent(RevocationEvent.USER, user, cutoff.until(), cutoff.before())));
        return entries;
    }

    public int size() {
        return tokens.size() + sessions.size() + users.size();
    }
}
