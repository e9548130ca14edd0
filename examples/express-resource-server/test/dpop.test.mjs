// DPoP on the resource server's side: proofs made with the `dpop` client package (and by hand with
// jose for the malformed ones), access tokens minted here with jose, checked through a small Express
// app whose authentication is server.js's without the revocation feed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { test } from 'node:test';
import { generateKeyPair as dpopKeyPair, generateProof, calculateThumbprint } from 'dpop';
import express from 'express';
import { SignJWT, errors, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { DpopChecker, DpopError, ReplayCache, dpopChallenge, normalizeHtu, parseAuthorization } from '../dpop.js';

const ISSUER = 'https://issuer.example';
const AUDIENCE = 'example-api';
// the public URL differs from the one the test connects to: the Host header plays no part
const PUBLIC_URL = 'https://API.Example.com:443/';
const HTU = 'https://api.example.com/orders';

const signing = await generateKeyPair('ES256');
const client = await dpopKeyPair('ES256', { extractable: true });
const clientJkt = await calculateThumbprint(client.publicKey);
const other = await dpopKeyPair('ES256');

let clockOffsetMs = 0;
const replay = new ReplayCache({ maxEntries: 1000 });
const checker = new DpopChecker({ publicUrl: PUBLIC_URL, clockToleranceS: 5, replay, now: () => Date.now() + clockOffsetMs });
const server = await listen(app(checker));
const port = server.address().port;
test.after(() => server.close());

test('a bound token with a fresh proof is accepted; the same proof again is refused', async () => {
    const token = await accessToken({ cnf: { jkt: clientJkt } });
    const proof = await generateProof(client, HTU, 'GET', undefined, token);
    const ok = await call({ authorization: `DPoP ${token}`, dpop: proof });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(JSON.parse(ok.body).sub, 'alice');

    const replayed = await call({ authorization: `DPoP ${token}`, dpop: proof });
    refused(replayed, 'invalid_dpop_proof', /used already/);
});

test('htu: query ignored, scheme/host case and default port normalised; the path must match', async () => {
    const token = await accessToken({ cnf: { jkt: clientJkt } });
    const proof = await generateProof(client, 'HTTPS://api.EXAMPLE.com:443/orders', 'GET', undefined, token);
    assert.equal((await call({ authorization: `DPoP ${token}`, dpop: proof }, '/orders?page=2')).status, 200);

    const wrongPath = await generateProof(client, 'https://api.example.com/orders/1', 'GET', undefined, token);
    refused(await call({ authorization: `DPoP ${token}`, dpop: wrongPath }), 'invalid_dpop_proof', /htu/);
    const wrongHost = await generateProof(client, `http://127.0.0.1:${port}/orders`, 'GET', undefined, token);
    refused(await call({ authorization: `DPoP ${token}`, dpop: wrongHost }), 'invalid_dpop_proof', /htu/);
});

test('a proof of PS256 is accepted too', async () => {
    const rsa = await dpopKeyPair('PS256', { extractable: true });
    const token = await accessToken({ cnf: { jkt: await calculateThumbprint(rsa.publicKey) } });
    const proof = await generateProof(rsa, HTU, 'GET', undefined, token);
    assert.equal((await call({ authorization: `DPoP ${token}`, dpop: proof })).status, 200);
});

test('wrong htm, wrong ath, another key: refused', async () => {
    const token = await accessToken({ cnf: { jkt: clientJkt } });
    const post = await generateProof(client, HTU, 'POST', undefined, token);
    refused(await call({ authorization: `DPoP ${token}`, dpop: post }), 'invalid_dpop_proof', /htm/);

    const otherToken = await accessToken({ cnf: { jkt: clientJkt } });
    const wrongAth = await generateProof(client, HTU, 'GET', undefined, otherToken);
    refused(await call({ authorization: `DPoP ${token}`, dpop: wrongAth }), 'invalid_dpop_proof', /ath/);
    const noAth = await generateProof(client, HTU, 'GET');
    refused(await call({ authorization: `DPoP ${token}`, dpop: noAth }), 'invalid_dpop_proof', /ath/);

    const otherKey = await generateProof(other, HTU, 'GET', undefined, token);
    refused(await call({ authorization: `DPoP ${token}`, dpop: otherKey }), 'invalid_dpop_proof', /bound to/);
});

test('a stale proof and one from the future: refused', async (t) => {
    t.after(() => { clockOffsetMs = 0; });
    const token = await accessToken({ cnf: { jkt: clientJkt }, exp: Math.floor(Date.now() / 1000) + 600 });
    const proof = await generateProof(client, HTU, 'GET', undefined, token);
    clockOffsetMs = 62_000; // the proof is 61 s old or more
    refused(await call({ authorization: `DPoP ${token}`, dpop: proof }), 'invalid_dpop_proof', /too old/);
    clockOffsetMs = -7_000; // made 6 s or more ahead of this server's clock, beyond the 5 s tolerance
    refused(await call({ authorization: `DPoP ${token}`, dpop: proof }), 'invalid_dpop_proof', /future/);
    clockOffsetMs = 0; // the refusals did not spend it
    assert.equal((await call({ authorization: `DPoP ${token}`, dpop: proof })).status, 200);
});

test('a bound token as Bearer, an unbound one as DPoP: refused; an unbound one as Bearer: accepted', async () => {
    const bound = await accessToken({ cnf: { jkt: clientJkt } });
    const asBearer = await call({ authorization: `Bearer ${bound}`, dpop: await generateProof(client, HTU, 'GET', undefined, bound) });
    refused(asBearer, 'invalid_token', /DPoP scheme/);

    const unbound = await accessToken({});
    const asDpop = await call({ authorization: `DPoP ${unbound}`, dpop: await generateProof(client, HTU, 'GET', undefined, unbound) });
    refused(asDpop, 'invalid_token', /not DPoP-bound/);

    const plain = await call({ authorization: `Bearer ${unbound}` });
    assert.equal(plain.status, 200);
    assert.equal((await call({})).headers['www-authenticate'], 'Bearer');
});

test('no DPoP header, two DPoP headers, an oversized one: refused', async () => {
    const token = await accessToken({ cnf: { jkt: clientJkt } });
    refused(await call({ authorization: `DPoP ${token}` }), 'invalid_dpop_proof', /exactly one/);
    const one = await generateProof(client, HTU, 'GET', undefined, token);
    const two = await generateProof(client, HTU, 'GET', undefined, token);
    refused(await call({ authorization: `DPoP ${token}`, dpop: [one, two] }), 'invalid_dpop_proof', /exactly one/);
    const big = await generateProof(client, HTU, 'GET', undefined, token, { pad: 'x'.repeat(9000) });
    refused(await call({ authorization: `DPoP ${token}`, dpop: big }), 'invalid_dpop_proof', /bounded size/);
});

test('alg none, HS256, a private key in jwk, a wrong typ, a jti too long: refused', async () => {
    const token = await accessToken({ cnf: { jkt: clientJkt } });
    const claims = () => ({ jti: crypto.randomUUID(), htm: 'GET', htu: HTU, iat: Math.floor(Date.now() / 1000), ath: ath(token) });
    const publicJwk = await exportJWK(client.publicKey);

    const none = `${b64(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: publicJwk }))}.${b64(JSON.stringify(claims()))}.`;
    refused(await call({ authorization: `DPoP ${token}`, dpop: none }), 'invalid_dpop_proof');

    const secret = new TextEncoder().encode('a shared secret of thirty-two by');
    const hs = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: publicJwk }).sign(secret);
    refused(await call({ authorization: `DPoP ${token}`, dpop: hs }), 'invalid_dpop_proof', /alg/);

    const leaky = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(leaky.privateKey);
    const leakyToken = await accessToken({ cnf: { jkt: clientJkt } });
    const withD = await new SignJWT({ ...claims(), ath: ath(leakyToken) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk }).sign(leaky.privateKey);
    refused(await call({ authorization: `DPoP ${leakyToken}`, dpop: withD }), 'invalid_dpop_proof', /not a public key/);

    const wrongTyp = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'JWT', jwk: publicJwk }).sign(client.privateKey);
    refused(await call({ authorization: `DPoP ${token}`, dpop: wrongTyp }), 'invalid_dpop_proof', /malformed|signature/);

    const longJti = await new SignJWT({ ...claims(), jti: 'j'.repeat(257) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk }).sign(client.privateKey);
    refused(await call({ authorization: `DPoP ${token}`, dpop: longJti }), 'invalid_dpop_proof', /jti/);
    const control = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk }).sign(client.privateKey);
    assert.equal((await call({ authorization: `DPoP ${token}`, dpop: control })).status, 200, 'the same proof made by hand, as it should be');
});

test('the replay set: entries expire after the window; when full of live entries it refuses', () => {
    const set = new ReplayCache({ maxEntries: 2 });
    assert.equal(set.remember('a', 160, 100), true);
    assert.equal(set.remember('a', 160, 150), false);
    assert.equal(set.remember('b', 170, 150), true);
    assert.throws(() => set.remember('c', 210, 150), (error) => error instanceof DpopError && error.status === 503);
    assert.equal(set.remember('c', 225, 165), true, 'a has expired and made room');
    assert.equal(set.remember('a', 230, 171), true, 'b has expired: a is a new entry again after its window');
    assert.equal(set.size, 2);
});

test('helpers: the Authorization schemes, the challenge, htu normalisation', () => {
    assert.deepEqual(parseAuthorization('dpop abc.def.ghi'), { scheme: 'DPoP', token: 'abc.def.ghi' });
    assert.deepEqual(parseAuthorization('Bearer abc'), { scheme: 'Bearer', token: 'abc' });
    assert.equal(parseAuthorization('Basic abc'), null);
    assert.equal(parseAuthorization(`DPoP ${'a'.repeat(9000)}`), null);
    assert.equal(dpopChallenge('invalid_dpop_proof', 'x'), 'DPoP algs="ES256 ES384 ES512 PS256 RS256", error="invalid_dpop_proof", error_description="x"');
    assert.equal(normalizeHtu('HTTP://Host:80/a/%7e/../b?q#f'), 'http://host/a/b');
    assert.equal(normalizeHtu('https://host:8443/a%2fb'), 'https://host:8443/a%2Fb');
    assert.equal(normalizeHtu('ftp://host/'), null);
    assert.equal(normalizeHtu('not a url'), null);
});

// the example's authentication (server.js) without the revocation feed, with a local signing key
function app(dpop) {
    const application = express();
    application.get('/orders', async (req, res) => {
        const credentials = parseAuthorization(req.get('authorization'));
        if (credentials === null) {
            res.set('WWW-Authenticate', 'Bearer');
            return problem(res, 'a Bearer or DPoP access token is required');
        }
        let verified;
        try {
            verified = await jwtVerify(credentials.token, signing.publicKey, {
                issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt', algorithms: ['ES256'], requiredClaims: ['sub', 'jti', 'iat', 'exp'],
            });
        } catch (error) {
            if (!(error instanceof errors.JOSEError)) throw error;
            res.set('WWW-Authenticate', credentials.scheme === 'DPoP' ? dpopChallenge('invalid_token') : 'Bearer error="invalid_token"');
            return problem(res, 'the token is invalid');
        }
        try {
            await dpop.check(req, credentials.scheme, credentials.token, verified.payload);
        } catch (error) {
            if (!(error instanceof DpopError)) throw error;
            res.set('WWW-Authenticate', dpopChallenge(error.error, error.message));
            return problem(res, error.message);
        }
        return res.json({ sub: verified.payload.sub });
    });
    return application;
}

function problem(res, detail) {
    return res.status(401).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail }));
}

function refused(response, error, description) {
    assert.equal(response.status, 401, response.body);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    const challenge = response.headers['www-authenticate'];
    assert.match(challenge, /^DPoP algs="ES256 ES384 ES512 PS256 RS256", /);
    assert.match(challenge, new RegExp(`error="${error}"`));
    if (description) assert.match(JSON.parse(response.body).detail, description);
}

async function accessToken(extra) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: 'web', ...extra })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
        .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('alice')
        .setJti(crypto.randomUUID()).setIssuedAt(now).setExpirationTime(extra.exp ?? now + 120)
        .sign(signing.privateKey);
}

function ath(token) {
    return createHash('sha256').update(token, 'ascii').digest('base64url');
}

function b64(text) {
    return Buffer.from(text).toString('base64url');
}

// node:http rather than fetch: fetch would fold two DPoP headers into one
function call(headers, path = '/orders') {
    return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => { body += chunk; });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
    });
}

function listen(application) {
    return new Promise((resolve) => {
        const listening = application.listen(0, '127.0.0.1', () => resolve(listening));
    });
}
