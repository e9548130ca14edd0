package dev.example.orders.dpop;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proofs' jti seen by this process, each kept until its proof could no longer be accepted (its
 * iat plus the window). Bounded: when full of live entries it refuses (fail closed) rather than
 * forget one. Per process: several instances of a service would need a shared store (e.g. a Redis
 * SET NX with expiry), or a proof could be replayed once at each instance.
 */
public final class ReplayCache {

    private final int maxEntries;
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(); // jti -> expiry (epoch s), insertion order

    public ReplayCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** true when the jti is new (it is now recorded), false when seen before; 503 when full. */
    public synchronized boolean remember(String jti, long expiresAt, long nowS) throws DpopException {
        prune(nowS, false);
        Long expiry = entries.get(jti);
        if (expiry != null && expiry >= nowS) {
            return false;
        }
        if (entries.size() >= maxEntries) {
            prune(nowS, true);
            if (entries.size() >= maxEntries) {
                throw new DpopException(DpopProofChecker.INVALID_DPOP_PROOF, "too many recent proofs, try again", 503);
            }
        }
        entries.remove(jti);
        entries.put(jti, expiresAt);
        return true;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** drops expired entries: from the oldest on while they are expired, or all of them when {@code full} */
    private void prune(long nowS, boolean full) {
        for (Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator(); it.hasNext();) {
            if (it.next().getValue() < nowS) {
                it.remove();
            } else if (!full) {
                return;
            }
        }
    }
}
