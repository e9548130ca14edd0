// A resource server that accepts the token service's access tokens. It configures itself from the
// service's discovery document only, verifies tokens locally with jose against the published JWKS
// (issuer, audience, typ at+jwt, ES256), and refuses revoked tokens from an in-memory mirror of the
// revocation feed: no call to the token service per request. A DPoP-bound token (claim cnf.jkt) is
// accepted only with the DPoP scheme and a proof of possession of its key (dpop.js).
import express from 'express';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { DpopChecker, DpopError, dpopChallenge, parseAuthorization } from './dpop.js';
import { RevocationFeed } from './feed.js';
import { Revocations } from './revocations.js';

const MAX_TOKEN_LENGTH = 8192;

const config = {
    issuerUrl: required('ISSUER_URL').replace(/\/+$/, ''),
    audience: required('AUDIENCE'),
    clientId: required('CLIENT_ID'),
    clientSecret: required('CLIENT_SECRET'),
    port: Number(process.env.PORT ?? 18320),
    staleAfterMs: Number(process.env.FEED_STALE_AFTER_MS ?? 30_000),
    clockToleranceS: Number(process.env.CLOCK_TOLERANCE_S ?? 5),
};
// the URL clients reach this service at, for the htu of DPoP proofs; never taken from the Host header
config.publicUrl = process.env.PUBLIC_URL || `http://localhost:${config.port}`;
const dpop = new DpopChecker({ publicUrl: config.publicUrl, clockToleranceS: config.clockToleranceS });

const metadata = await discover(config.issuerUrl);
const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
const revocations = new Revocations();
const feed = new RevocationFeed({
    url: feedUrl(metadata, config.issuerUrl),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    revocations,
    staleAfterMs: config.staleAfterMs,
});
feed.run();

const app = express();
app.disable('x-powered-by');

app.get('/healthz', (req, res) => {
    res.status(feed.isCurrent() ? 200 : 503).json(feed.status());
});

app.get('/orders', authenticate, (req, res) => {
    res.json({ sub: req.claims.sub, client_id: req.claims.client_id ?? null, orders: [] });
});

const server = app.listen(config.port, () => {
    console.info(`resource server on port ${config.port}, issuer ${metadata.issuer}, audience ${config.audience}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
        feed.stop();
        server.close(() => process.exit(0));
        setTimeout(() => process.exit(0), 2000).unref();
    });
}

async function authenticate(req, res, next) {
    const credentials = parseAuthorization(req.get('authorization'), MAX_TOKEN_LENGTH);
    if (credentials === null) {
        res.set('WWW-Authenticate', 'Bearer');
        return problem(res, 401, 'Unauthorized', 'a Bearer or DPoP access token is required');
    }
    const { scheme, token } = credentials;
    // a revoked token is refused before any signature work: refusing never needs a verified token
    const unverified = decode(token);
    if (unverified === null) {
        return invalidToken(res, scheme, 'the token is malformed');
    }
    if (revocations.isRevoked(unverified.claims, unverified.header)) {
        return invalidToken(res, scheme, 'the token has been revoked');
    }
    let verified;
    try {
        verified = await jwtVerify(token, jwks, {
            issuer: metadata.issuer,
            audience: config.audience,
            typ: 'at+jwt',
            algorithms: ['ES256'],
            requiredClaims: ['sub', 'jti', 'iat', 'exp'],
            clockTolerance: config.clockToleranceS,
        });
    } catch (error) {
        if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
            return invalidToken(res, scheme, 'the token is invalid');
        }
        console.warn(`signing keys unavailable: ${error.cause?.code ?? error.message}`);
        return unavailable(res, 'the signing keys cannot be fetched');
    }
    try {
        // the binding: a bound token only as DPoP with a proof of this request by its key
        await dpop.check(req, scheme, token, verified.payload);
    } catch (error) {
        if (!(error instanceof DpopError)) throw error;
        if (error.status === 503) return unavailable(res, error.message);
        res.set('WWW-Authenticate', dpopChallenge(error.error, error.message));
        return problem(res, 401, 'Unauthorized', error.message);
    }
    if (!feed.isCurrent()) {
        // fail closed: a stale mirror may lack a revocation of this token
        return unavailable(res, 'the revocation feed has been silent too long');
    }
    // again: a revocation may have arrived while the signatures were being checked
    if (revocations.isRevoked(verified.payload, verified.protectedHeader)) {
        return invalidToken(res, scheme, 'the token has been revoked');
    }
    req.claims = verified.payload;
    return next();
}

function decode(token) {
    try {
        return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
    } catch {
        return null;
    }
}

function invalidToken(res, scheme, detail) {
    res.set('WWW-Authenticate', scheme === 'DPoP' ? dpopChallenge('invalid_token', detail) : 'Bearer error="invalid_token"');
    return problem(res, 401, 'Unauthorized', detail);
}

function unavailable(res, detail) {
    res.set('Retry-After', '1');
    return problem(res, 503, 'Service Unavailable', detail);
}

function problem(res, status, title, detail) {
    return res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

// the service may still be starting: retry the discovery document for a while
async function discover(issuerUrl) {
    const url = `${issuerUrl}/.well-known/openid-configuration`;
    for (let attempt = 1; ; attempt++) {
        try {
            const response = await fetch(url);
            if (response.ok) {
                const document = await response.json();
                if (!document.issuer || !document.jwks_uri) throw new Error('issuer or jwks_uri missing');
                return document;
            }
            throw new Error(`status ${response.status}`);
        } catch (error) {
            if (attempt >= 60) throw new Error(`discovery at ${url} failed: ${error.message}`);
            console.warn(`discovery at ${url}: ${error.cause?.code ?? error.message}; retrying`);
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
    }
}

// RFC 8414 has no field for a revocation feed: take the service's own name for it when it gives
// one, otherwise the feed's fixed path beside the discovery document
function feedUrl(document, issuerUrl) {
    return document.revocation_feed_endpoint ?? `${issuerUrl}/oauth/revocations`;
}

function required(name) {
    const value = process.env[name];
    if (!value) {
        console.error(`${name} is required`);
        process.exit(2);
    }
    return value;
}
