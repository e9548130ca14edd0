// Drives scripts/dpop-e2e.sh's two token-service nodes and the Express example as a DPoP client would, with proofs
// made by the `dpop` package and tokens read by `jose`: nothing of the token service's own code is used here.
// Node A's URL is the service's public URL, so every proof names it, whichever node receives it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { calculateThumbprint, generateKeyPair, generateProof } from 'dpop';
import { decodeJwt } from 'jose';

const A = process.env.NODE_A_URL;
const B = process.env.NODE_B_URL;
const EXAMPLE = process.env.EXAMPLE_URL;
const QUARKUS = process.env.QUARKUS_URL;
const REPLAYS = Number(process.env.REPLAYS ?? 1000);
const PUBLIC = A;
const PASSWORD = 'correct horse battery';
const results = {};

function log(message) {
    console.error(`[dpop-e2e] ${message}`);
}

async function call(base, path, { method = 'GET', headers = {}, body } = {}) {
    const response = await fetch(base + path, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        // not JSON
    }
    return { status: response.status, headers: response.headers, json, text };
}

async function register() {
    const username = `dpop-${randomUUID().slice(0, 12)}`;
    const registered = await call(A, '/auth/register', { method: 'POST', body: { username, password: PASSWORD } });
    assert.equal(registered.status, 201, registered.text);
    return username;
}

async function login(base, username, keypair, userAgent = 'dpop-e2e') {
    const headers = { 'user-agent': userAgent };
    if (keypair) {
        headers.dpop = await generateProof(keypair, `${PUBLIC}/auth/login`, 'POST');
    }
    const answer = await call(base, '/auth/login', { method: 'POST', headers, body: { username, password: PASSWORD } });
    assert.equal(answer.status, 200, answer.text);
    return answer.json;
}

async function dpopGet(base, path, keypair, token, publicBase = PUBLIC) {
    const proof = await generateProof(keypair, `${publicBase}${path}`, 'GET', undefined, token);
    return { proof, answer: await getWith(base, path, token, proof) };
}

function getWith(base, path, token, proof) {
    return call(base, path, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
}

// --- binding ----------------------------------------------------------------------------------------
const owner = await generateKeyPair('ES256');
const username = await register();
const pair = await login(A, username, owner);
assert.equal(pair.token_type, 'DPoP');
assert.equal(decodeJwt(pair.access_token).cnf?.jkt, await calculateThumbprint(owner.publicKey));
for (const node of [A, B]) {
    const { answer } = await dpopGet(node, '/api/greeting', owner, pair.access_token);
    assert.equal(answer.status, 200, answer.text);
    const asBearer = await call(node, '/api/greeting', { headers: { authorization: `Bearer ${pair.access_token}` } });
    assert.equal(asBearer.status, 401);
    assert.match(asBearer.headers.get('www-authenticate'), /^DPoP .*error="invalid_token"/);
}
log('a DPoP login binds the token to the key; both nodes accept it with a proof and refuse it as Bearer');

// --- replay across the nodes ---------------------------------------------------------------------------
async function replayAcross(first, second, count) {
    let firstAccepted = 0;
    let replayAccepted = 0;
    const refusals = {};
    for (let i = 0; i < count; i += 20) {
        await Promise.all(Array.from({ length: Math.min(20, count - i) }, async () => {
            const { proof, answer } = await dpopGet(first, '/api/greeting', owner, pair.access_token);
            if (answer.status === 200) firstAccepted++;
            const replayed = await getWith(second, '/api/greeting', pair.access_token, proof);
            if (replayed.status === 200) {
                replayAccepted++;
            } else {
                const error = /error="([^"]+)"/.exec(replayed.headers.get('www-authenticate') ?? '')?.[1];
                refusals[`${replayed.status} ${error}`] = (refusals[`${replayed.status} ${error}`] ?? 0) + 1;
            }
        }));
    }
    return { firstAccepted, replayAccepted, refusals };
}
const aThenB = await replayAcross(A, B, REPLAYS);
const bThenA = await replayAcross(B, A, REPLAYS);
log(`replay: ${REPLAYS} proofs used on A then replayed on B: ${JSON.stringify(aThenB)}; B then A: ${JSON.stringify(bThenA)}`);
assert.equal(aThenB.firstAccepted, REPLAYS);
assert.equal(bThenA.firstAccepted, REPLAYS);
assert.equal(aThenB.replayAccepted, 0);
assert.equal(bThenA.replayAccepted, 0);

// the same proof sent to both nodes at the same moment: exactly one of the two accepts it
let raceWins = 0;
const RACES = 200;
for (let i = 0; i < RACES; i++) {
    const proof = await generateProof(owner, `${PUBLIC}/api/greeting`, 'GET', undefined, pair.access_token);
    const answers = await Promise.all([A, B].map((node) => getWith(node, '/api/greeting', pair.access_token, proof)));
    const accepted = answers.filter((answer) => answer.status === 200).length;
    assert.equal(accepted, 1, `proof ${i}: ${answers.map((answer) => answer.status)}`);
    raceWins += accepted;
}
log(`race: ${RACES} proofs each sent to both nodes at once: ${raceWins} accepted, ${2 * RACES - raceWins} refused`);
results.replay = { proofs: REPLAYS, aThenB, bThenA, races: RACES, raceAccepted: raceWins };

// --- a stolen refresh token ---------------------------------------------------------------------------
const thief = await generateKeyPair('ES256');
const stolen = pair.refresh_token;
const bare = await call(B, '/auth/refresh', { method: 'POST', body: { refresh_token: stolen } });
assert.equal(bare.status, 400, bare.text);
assert.equal(bare.json.error, 'invalid_dpop_proof');
const withThiefsKey = await call(B, '/auth/refresh', {
    method: 'POST',
    headers: { dpop: await generateProof(thief, `${PUBLIC}/auth/refresh`, 'POST') },
    body: { refresh_token: stolen },
});
assert.equal(withThiefsKey.status, 400, withThiefsKey.text);
const owners = await call(A, '/auth/refresh', {
    method: 'POST',
    headers: { dpop: await generateProof(owner, `${PUBLIC}/auth/refresh`, 'POST') },
    body: { refresh_token: stolen },
});
assert.equal(owners.status, 200, owners.text);
assert.equal(owners.json.token_type, 'DPoP');
const afterTheft = await dpopGet(B, '/api/greeting', owner, owners.json.access_token);
assert.equal(afterTheft.answer.status, 200, afterTheft.answer.text);
log('a stolen refresh token without its key: 400 with no proof and with the thief\'s key; the owner\'s session lives on');

// --- the Express example ------------------------------------------------------------------------------
const access = owners.json.access_token;
const atExample = await dpopGet(EXAMPLE, '/orders', owner, access, EXAMPLE);
assert.equal(atExample.answer.status, 200, atExample.answer.text);
const exampleReplay = await getWith(EXAMPLE, '/orders', access, atExample.proof);
assert.equal(exampleReplay.status, 401);
const exampleBearer = await call(EXAMPLE, '/orders', { headers: { authorization: `Bearer ${access}` } });
assert.equal(exampleBearer.status, 401);
assert.match(exampleBearer.headers.get('www-authenticate'), /^DPoP /);
log('the Express example accepts the bound token with a proof, refuses a replay and the token as Bearer');
const atQuarkus = await dpopGet(QUARKUS, '/orders', owner, access, QUARKUS);
assert.equal(atQuarkus.answer.status, 200, atQuarkus.answer.text);
assert.equal((await getWith(QUARKUS, '/orders', access, atQuarkus.proof)).status, 401);
const quarkusBearer = await call(QUARKUS, '/orders', { headers: { authorization: `Bearer ${access}` } });
assert.equal(quarkusBearer.status, 401);
assert.match(quarkusBearer.headers.get('www-authenticate'), /^DPoP /);
const quarkusThief = await dpopGet(QUARKUS, '/orders', thief, access, QUARKUS);
assert.equal(quarkusThief.answer.status, 401);
log('so does the Quarkus example, and it refuses a proof of another key');

// --- sessions -----------------------------------------------------------------------------------------
const phone = await generateKeyPair('ES256');
const sessionsUser = await register();
const web = await login(A, sessionsUser, null, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0');
const mobile = await login(B, sessionsUser, phone, 'ExampleApp/3.1 (iPhone; iOS 19.1)');
const cli = await login(A, sessionsUser, null, 'curl/8.14.1');
const listed = await call(B, '/auth/sessions', { headers: { authorization: `Bearer ${web.access_token}` } });
assert.equal(listed.status, 200, listed.text);
const sessions = listed.json.sessions;
assert.equal(sessions.length, 3);
const sidOf = (token) => decodeJwt(token).sid;
const byId = Object.fromEntries(sessions.map((session) => [session.id, session]));
assert.equal(byId[sidOf(web.access_token)].current, true);
assert.equal(byId[sidOf(mobile.access_token)].current, false);
assert.equal(byId[sidOf(mobile.access_token)].dpop_bound, true);
assert.equal(byId[sidOf(cli.access_token)].dpop_bound, false);
assert.equal(byId[sidOf(mobile.access_token)].device, 'ExampleApp/3.1 (iPhone; iOS 19.1)');
log(`sessions: three listed (${sessions.map((session) => session.device).join(' | ')})`);

// the lost phone: its session ended from the web session, then refused by both nodes and by the example
const ended = sidOf(mobile.access_token);
const deleted = await call(A, `/auth/sessions/${ended}`, {
    method: 'DELETE', headers: { authorization: `Bearer ${web.access_token}` },
});
const endedAt = performance.now();
assert.equal(deleted.status, 204, deleted.text);
const refusedAfter = {};
for (const [name, base, publicBase, path] of [['node A', A, PUBLIC, '/api/greeting'], ['node B', B, PUBLIC, '/api/greeting'],
    ['Express example', EXAMPLE, EXAMPLE, '/orders']]) {
    for (;;) {
        const { answer } = await dpopGet(base, path, phone, mobile.access_token, publicBase);
        if (answer.status === 401) break;
        assert.equal(answer.status, 200, answer.text);
        assert.ok(performance.now() - endedAt < 5000, `${name} still accepts the ended session after 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 2));
    }
    refusedAfter[name] = Math.round((performance.now() - endedAt) * 10) / 10;
}
log(`ended session refused (ms after the DELETE's 204, proof making included): ${JSON.stringify(refusedAfter)}`);
const mobileRefresh = await call(B, '/auth/refresh', {
    method: 'POST',
    headers: { dpop: await generateProof(phone, `${PUBLIC}/auth/refresh`, 'POST') },
    body: { refresh_token: mobile.refresh_token },
});
assert.equal(mobileRefresh.status, 401, mobileRefresh.text);
const again = await call(B, `/auth/sessions/${ended}`, {
    method: 'DELETE', headers: { authorization: `Bearer ${web.access_token}` },
});
assert.equal(again.status, 404);
const stillThere = await call(A, '/auth/sessions', { headers: { authorization: `Bearer ${cli.access_token}` } });
assert.deepEqual(stillThere.json.sessions.map((session) => session.id).sort(),
    [sidOf(web.access_token), sidOf(cli.access_token)].sort());
results.endedSessionRefusedAfterMs = refusedAfter;

writeFileSync(process.env.RESULTS, `${JSON.stringify(results, null, 2)}\n`);
log('all checks passed');
