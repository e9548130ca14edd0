// DPoP (RFC 9449) on the resource server's side (§4.3, §7): a token bound to a key (claim
// cnf.jkt) is accepted only with the DPoP scheme and a fresh proof, signed by that key, of this very
// request; a bound token sent as Bearer is refused. Unbound tokens keep working as Bearer.
import { createHash } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader, errors, jwtVerify } from 'jose';

/** asymmetric algorithms accepted for proofs; never none, never HS* */
export const DPOP_ALGORITHMS = Object.freeze(['ES256', 'ES384', 'ES512', 'PS256', 'RS256']);

const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4)
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A refusal: `error` is the OAuth error code of the challenge, `status` 401, or 503 when the replay set is full. */
export class DpopError extends Error {
    constructor(error, description, status = 401) {
        super(description);
        this.error = error;
        this.status = status;
    }
}

/** `Authorization: Bearer <token>` or `Authorization: DPoP <token>`, else null. */
export function parseAuthorization(header, maxTokenLength = 8192) {
    const match = /^(Bearer|DPoP) +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header ?? '');
    if (match === null || match[2].length > maxTokenLength) return null;
    return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] };
}

/** The WWW-Authenticate value of a DPoP refusal; descriptions are this module's own fixed strings. */
export function dpopChallenge(error, description) {
    const parts = [`algs="${DPOP_ALGORITHMS.join(' ')}"`];
    if (error) parts.push(`error="${error}"`);
    if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`);
    return `DPoP ${parts.join(', ')}`;
}

/**
 * The URL a proof's htu is compared on: scheme and host lower-cased, default port dropped, dot
 * segments removed, percent-escapes upper-cased; query and fragment left out. null when not http(s).
 */
export function normalizeHtu(value) {
    let url;
    try {
        url = new URL(value);
    } catch {
        return null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const path = url.pathname.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
    return `${url.protocol}//${url.host}${path}`;
}

/**
 * The proofs' jti seen by this process, each kept until its proof could no longer be accepted
 * (its iat plus the window). Bounded: when full of live entries it refuses (fail closed) rather
 * than forget one. Per process: several instances of a service would need a shared store (e.g. a
 * Redis SET NX with expiry), or a proof could be replayed once at each instance.
 */
export class ReplayCache {
    constructor({ maxEntries = 100_000 } = {}) {
        this.maxEntries = maxEntries;
        this.entries = new Map(); // jti -> expiry (epoch s), in insertion order
    }

    /** true when the jti is new (it is now recorded), false when seen before; DpopError when full. */
    remember(jti, expiresAt, nowS) {
        this.prune(nowS, false);
        const expiry = this.entries.get(jti);
        if (expiry !== undefined && expiry >= nowS) return false;
        if (this.entries.size >= this.maxEntries) {
            this.prune(nowS, true);
            if (this.entries.size >= this.maxEntries) {
                throw new DpopError('invalid_dpop_proof', 'too many recent proofs, try again', 503);
            }
        }
        this.entries.delete(jti);
        this.entries.set(jti, expiresAt);
        return true;
    }

    /** drops expired entries: from the oldest on while they are expired, or all of them when `full` */
    prune(nowS, full) {
        for (const [jti, expiry] of this.entries) {
            if (expiry < nowS) this.entries.delete(jti);
            else if (!full) return;
        }
    }

    get size() {
        return this.entries.size;
    }
}

export class DpopChecker {
    /**
     * @param publicUrl the URL clients reach this service's root at (from config, never from the
     *        Host header); a proof's htu must be it followed by the request's path
     */
    constructor({ publicUrl, clockToleranceS = 5, maxAgeS = 60, replay = new ReplayCache(), now = () => Date.now() }) {
        const base = normalizeHtu(publicUrl);
        if (base === null) throw new TypeError(`the public URL is not an http(s) URL: ${publicUrl}`);
        this.base = base.replace(/\/+$/, '');
        this.clockToleranceS = clockToleranceS;
        this.maxAgeS = maxAgeS;
        this.replay = replay;
        this.now = now;
    }

    /** the htu a proof of this request must carry, normalised */
    expectedHtu(originalUrl) {
        let path = originalUrl.split(/[?#]/)[0];
        if (!path.startsWith('/')) path = new URL(path).pathname; // absolute-form request target
        return normalizeHtu(this.base + path);
    }

    /**
     * Checks the binding of a verified access token to the request; throws DpopError on refusal.
     * @param req an Express (or node:http) request: method, originalUrl or url, headersDistinct
     * @param scheme 'Bearer' or 'DPoP', as from parseAuthorization
     * @param token the access token as sent
     * @param claims the access token's verified claims
     */
    async check(req, scheme, token, claims) {
        const cnf = claims.cnf;
        const jkt = cnf !== null && typeof cnf === 'object' ? cnf.jkt : undefined;
        if (scheme !== 'DPoP') {
            if (cnf !== undefined) {
                throw new DpopError('invalid_token', 'a DPoP-bound token must be sent with the DPoP scheme and a proof');
            }
            return;
        }
        if (typeof jkt !== 'string' || jkt.length === 0) {
            throw new DpopError('invalid_token', 'the token is not DPoP-bound');
        }
        const proofs = req.headersDistinct?.dpop ?? [];
        if (proofs.length !== 1) {
            throw new DpopError('invalid_dpop_proof', 'exactly one DPoP header is required');
        }
        const proof = proofs[0];
        if (proof.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(proof)) {
            throw new DpopError('invalid_dpop_proof', 'the proof is not a compact JWS of bounded size');
        }
        const nowMs = this.now();
        const nowS = Math.floor(nowMs / 1000);
        let header;
        let payload;
        try {
            header = decodeProtectedHeader(proof);
            if (!DPOP_ALGORITHMS.includes(header.alg)) {
                throw new DpopError('invalid_dpop_proof', 'the proof\'s alg is not allowed');
            }
            const jwk = header.jwk;
            if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) {
                throw new DpopError('invalid_dpop_proof', 'the proof has no jwk header');
            }
            if (PRIVATE_MEMBERS.some((member) => member in jwk)) {
                throw new DpopError('invalid_dpop_proof', 'the proof\'s jwk is not a public key');
            }
            ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
                typ: 'dpop+jwt',
                algorithms: [...DPOP_ALGORITHMS],
                requiredClaims: ['jti', 'htm', 'htu', 'iat'],
                currentDate: new Date(nowMs),
                clockTolerance: this.clockToleranceS,
            }));
        } catch (error) {
            if (error instanceof DpopError) throw error;
            if (error instanceof errors.JOSEError || error instanceof TypeError) {
                throw new DpopError('invalid_dpop_proof', 'the proof is malformed or its signature is invalid');
            }
            throw error;
        }
        if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > MAX_JTI_LENGTH) {
            throw new DpopError('invalid_dpop_proof', 'the proof\'s jti is missing or too long');
        }
        if (payload.htm !== req.method) {
            throw new DpopError('invalid_dpop_proof', 'the proof\'s htm is not the request method');
        }
        if (typeof payload.htu !== 'string' || normalizeHtu(payload.htu) !== this.expectedHtu(req.originalUrl ?? req.url)) {
            throw new DpopError('invalid_dpop_proof', 'the proof\'s htu is not the request URL');
        }
        const age = nowS - payload.iat;
        if (age > this.maxAgeS) {
            throw new DpopError('invalid_dpop_proof', 'the proof is too old');
        }
        if (age < -this.clockToleranceS) {
            throw new DpopError('invalid_dpop_proof', 'the proof\'s iat is in the future');
        }
        if (payload.ath !== createHash('sha256').update(token, 'ascii').digest('base64url')) {
            throw new DpopError('invalid_dpop_proof', 'the proof\'s ath is not the hash of the access token');
        }
        if (await calculateJwkThumbprint(header.jwk, 'sha256') !== jkt) {
            throw new DpopError('invalid_dpop_proof', 'the proof is not signed by the key the token is bound to');
        }
        // last: only a proof that passed every other check takes a place in the set
        if (!this.replay.remember(payload.jti, payload.iat + this.maxAgeS, nowS)) {
            throw new DpopError('invalid_dpop_proof', 'the proof has been used already');
        }
    }
}
