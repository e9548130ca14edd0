// The token service's live revocations, held in memory: answering "is this token revoked?" costs
// four map lookups and no network call. Filled by the feed (feed.js); a snapshot replaces it whole.

export class Revocations {
    #tokens = new Map();   // jti -> exp
    #sessions = new Map(); // sid -> exp
    #users = new Map();    // sub -> { iatBefore, exp }
    #keys = new Map();     // kid -> exp

    /** Replaces the whole set with a snapshot's entries. */
    replace(entries) {
        this.#tokens.clear();
        this.#sessions.clear();
        this.#users.clear();
        this.#keys.clear();
        for (const entry of entries) {
            this.add(entry);
        }
    }

    /** Adds one entry of the feed; an entry of an unknown type is ignored (a newer service may add types). */
    add(entry) {
        switch (entry?.type) {
            case 'token':
                keepLater(this.#tokens, entry.jti, entry.exp);
                break;
            case 'session':
                keepLater(this.#sessions, entry.sid, entry.exp);
                break;
            case 'key':
                keepLater(this.#keys, entry.kid, entry.exp);
                break;
            case 'user': {
                if (typeof entry.sub !== 'string' || !Number.isFinite(entry.iat_before)) break;
                const known = this.#users.get(entry.sub);
                this.#users.set(entry.sub, {
                    iatBefore: Math.max(entry.iat_before, known?.iatBefore ?? 0),
                    exp: Math.max(expiry(entry.exp), known?.exp ?? 0),
                });
                break;
            }
            default:
                break;
        }
    }

    /** Whether the verified token (its claims and protected header) is revoked. */
    isRevoked(claims, header) {
        if (this.#tokens.has(claims.jti) || this.#keys.has(header.kid)) {
            return true;
        }
        if (claims.sid !== undefined && this.#sessions.has(claims.sid)) {
            return true;
        }
        const user = this.#users.get(claims.sub);
        return user !== undefined && claims.iat < user.iatBefore;
    }

    /** Drops the entries whose tokens have all expired (exp in epoch seconds). */
    prune(nowSeconds = Date.now() / 1000) {
        for (const map of [this.#tokens, this.#sessions, this.#keys]) {
            for (const [id, exp] of map) {
                if (exp < nowSeconds) map.delete(id);
            }
        }
        for (const [sub, user] of this.#users) {
            if (user.exp < nowSeconds) this.#users.delete(sub);
        }
    }

    size() {
        return {
            tokens: this.#tokens.size,
            sessions: this.#sessions.size,
            users: this.#users.size,
            keys: this.#keys.size,
        };
    }
}

function keepLater(map, id, exp) {
    if (typeof id !== 'string') return;
    map.set(id, Math.max(expiry(exp), map.get(id) ?? 0));
}

// an entry without a usable exp is kept for good rather than dropped: failing closed
function expiry(exp) {
    return Number.isFinite(exp) ? exp : Infinity;
}
