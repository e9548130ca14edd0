// End-to-end driver for scripts/consumers-e2e.sh, one phase per run (the script restarts processes
// between phases; the state file carries tokens from one phase to the next):
//   propagation        register, then TRIALS times: log in, call the example (200), log out, poll the
//                      example until 401 and record the delay; logout-all; a token of another
//                      audience and a forged signature refused
//   service-stopped    while the token service is down: revoked tokens still refused, and a live
//                      token refused with 503 once the feed has been silent for the staleness bound
//   service-restarted  after a restart of the token service: earlier revocations still refused, a
//                      live token still accepted, new logouts propagate again
//   example-restarted  after a restart of the example: its snapshot refuses every earlier revocation
//   quarkus            the stock Quarkus resource server accepts our token, refuses another audience
// Env: TOKEN_SERVICE_URL, EXAMPLE_URL, QUARKUS_URL, TRIALS (100), TRIAL_BOUND_MS (5000),
//      FEED_STALE_AFTER_MS (the example's bound),
//      OTHER_CLIENT_ID/OTHER_CLIENT_SECRET (a client_credentials client of another audience),
//      OWN_CLIENT_ID/OWN_CLIENT_SECRET (one of the examples' audience, the control),
//      E2E_STATE (state file), E2E_RESULTS (where the propagation figures are appended as JSON lines).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const SERVICE = process.env.TOKEN_SERVICE_URL ?? 'http://localhost:18300';
const EXAMPLE = process.env.EXAMPLE_URL ?? 'http://localhost:18320';
const QUARKUS = process.env.QUARKUS_URL ?? 'http://localhost:18321';
const TRIALS = Number(process.env.TRIALS ?? 100);
const TRIAL_BOUND_MS = Number(process.env.TRIAL_BOUND_MS ?? 5000);
const STALE_AFTER_MS = Number(process.env.FEED_STALE_AFTER_MS ?? 30_000);
const STATE_FILE = process.env.E2E_STATE ?? 'consumers-e2e-state.json';
const RESULTS_FILE = process.env.E2E_RESULTS;

const phases = {
    async propagation() {
        await waitForExample();
        const user = await register();
        const live = await login(user);
        assert.equal((await callExample(live)).status, 200, 'a fresh token is accepted');
        const revoked = [];
        const delays = await propagationTrials(user, TRIALS, revoked);
        report('propagation', delays);
        await floor(revoked.at(-1));
        await logoutAllRefusesEveryToken(await register(), revoked);
        await refusesBadTokens(live);
        await writeState({ user, live, revoked });
    },

    async 'service-stopped'() {
        const state = readState();
        await expectAll(state.revoked.slice(-3), 401, 'a revoked token while the service is down');
        const since = performance.now();
        for (;;) {
            const response = await callExample(state.live);
            await response.arrayBuffer();
            if (response.status === 503) break;
            assert.equal(response.status, 200, `a live token while the feed is silent: 200 or 503, not ${response.status}`);
            if (performance.now() - since > 2 * STALE_AFTER_MS) assert.fail('the example still answers 200 on a silent feed');
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        console.log(`service stopped: revoked tokens 401, a live token 503 after ${(performance.now() - since).toFixed(0)} ms of silence`);
    },

    async 'service-restarted'() {
        const state = readState();
        await waitForReconnect(state.connections);
        const connected = await connections();
        await expectAll(state.revoked, 401, 'a token revoked before the service restarted');
        assert.equal((await callExample(state.live)).status, 200, 'a live token survives the restart');
        const delays = await propagationTrials(state.user, 20, state.revoked);
        report('after a restart of the token service', delays);
        console.log(`the example reconnected ${(await connections()) - connected} times during these trials`);
        await writeState(state);
    },

    async 'example-restarted'() {
        const state = readState();
        await waitForExample();
        await expectAll(state.revoked, 401, 'a token revoked before the example restarted');
        assert.equal((await callExample(state.live)).status, 200, 'a live token is accepted after the restart');
        const delays = await propagationTrials(state.user, 20, state.revoked);
        report('after a restart of the example', delays);
        console.log(`the example connected ${await connections()} times since its start`);
        await writeState(state);
    },

    async quarkus() {
        const state = readState();
        const fresh = await login(state.user);
        const accepted = await fetch(`${QUARKUS}/orders`, { headers: bearer(fresh) });
        assert.equal(accepted.status, 200, 'the Quarkus resource server accepts our token');
        assert.equal((await accepted.json()).sub, fresh.sub);
        const other = await otherAudienceToken();
        const own = await ownAudienceToken();
        if (other !== null && own !== null) {
            const machine = await fetch(`${QUARKUS}/orders`, { headers: bearer(own) });
            assert.equal(machine.status, 200, 'the Quarkus resource server accepts a machine token for its audience');
            const refused = await fetch(`${QUARKUS}/orders`, { headers: bearer(other) });
            assert.equal(refused.status, 401, 'the Quarkus resource server refuses another audience');
        }
        const unsigned = await fetch(`${QUARKUS}/orders`, { headers: bearer(tamper(fresh)) });
        assert.equal(unsigned.status, 401, 'the Quarkus resource server refuses a forged token');
        console.log(`quarkus: a user's token 200, ${other === null ? 'machine tokens skipped' : 'a machine token for its audience 200, another audience 401'}, a forged token 401`);
    },
};

async function propagationTrials(user, trials, revoked) {
    const delays = [];
    for (let trial = 1; trial <= trials; trial++) {
        const tokens = await login(user);
        const before = await callExample(tokens);
        assert.equal(before.status, 200, `trial ${trial}: the example accepts the token before logout`);
        assert.equal((await before.json()).sub, tokens.sub);
        const logout = await fetch(`${SERVICE}/auth/logout`, { method: 'POST', headers: bearer(tokens) });
        assert.equal(logout.status, 204, `trial ${trial}: logout answers 204`);
        const loggedOut = performance.now();
        delays.push(await untilRefused(tokens, loggedOut, `trial ${trial}`));
        revoked.push(tokens);
    }
    return delays;
}

// polls the example back to back; the delay counts from logout's 204 to the first 401
async function untilRefused(tokens, since, what) {
    for (let poll = 1; ; poll++) {
        const response = await callExample(tokens);
        await response.arrayBuffer();
        if (response.status === 401) {
            assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
            return { ms: performance.now() - since, firstPoll: poll === 1 };
        }
        assert.equal(response.status, 200, `${what}: the example answers 200 or 401, not ${response.status}`);
        if (performance.now() - since > TRIAL_BOUND_MS) {
            assert.fail(`${what}: still accepted ${TRIAL_BOUND_MS} ms after logout`);
        }
    }
}

// what one request to the example costs by itself: the least a propagation delay can show
async function floor(revokedTokens) {
    const times = [];
    for (let i = 0; i < TRIALS; i++) {
        const start = performance.now();
        const response = await callExample(revokedTokens);
        await response.arrayBuffer();
        times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.ceil(q * times.length) - 1].toFixed(2);
    console.log(`one request to the example (a revoked token, 401): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
}

async function logoutAllRefusesEveryToken(user, revoked) {
    const first = await login(user);
    const second = await login(user);
    await expectAll([first, second], 200, 'a token before logout-all');
    const response = await fetch(`${SERVICE}/auth/logout-all`, { method: 'POST', headers: bearer(second) });
    assert.equal(response.status, 204, 'logout-all answers 204');
    const since = performance.now();
    await untilRefused(first, since, 'logout-all');
    const { ms } = await untilRefused(second, since, 'logout-all');
    revoked.push(first, second);
    console.log(`logout-all: both tokens refused ${ms.toFixed(1)} ms after its 204`);
}

async function refusesBadTokens(live) {
    const none = await fetch(`${EXAMPLE}/orders`);
    assert.equal(none.status, 401, 'no token: 401');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const forged = await callExample({ access_token: tamper(live) });
    assert.equal(forged.status, 401, 'a forged token: 401');
    const other = await otherAudienceToken();
    const own = await ownAudienceToken();
    if (other === null || own === null) {
        console.log('machine tokens: OTHER_CLIENT_ID or OWN_CLIENT_ID not configured, skipped');
        return;
    }
    const accepted = await callExample({ access_token: own });
    assert.equal(accepted.status, 200, 'a machine token for the example\'s audience: 200');
    assert.equal((await accepted.json()).client_id, process.env.OWN_CLIENT_ID);
    const response = await callExample({ access_token: other });
    assert.equal(response.status, 401, 'a token of another audience: 401');
    assert.match(response.headers.get('www-authenticate'), /error="invalid_token"/);
    console.log('machine tokens: the example\'s audience 200, another audience 401');
}

// a client_credentials token of a client whose audiences do not include the example's
function otherAudienceToken() {
    return clientToken(process.env.OTHER_CLIENT_ID, process.env.OTHER_CLIENT_SECRET);
}

// the control: a client_credentials token of a client whose audience is the example's
function ownAudienceToken() {
    return clientToken(process.env.OWN_CLIENT_ID, process.env.OWN_CLIENT_SECRET);
}

async function clientToken(id, secret) {
    if (!id) return null;
    const basic = Buffer.from(`${id}:${secret}`).toString('base64');
    const response = await fetch(`${SERVICE}/oauth/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 200, `client_credentials for ${id}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()).access_token;
}

// the same header and claims with one character of the signature changed
function tamper(tokens) {
    const [header, claims, signature] = tokens.access_token.split('.');
    return `${header}.${claims}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
}

async function expectAll(tokenList, status, what) {
    for (const tokens of tokenList) {
        const response = await callExample(tokens);
        await response.arrayBuffer();
        assert.equal(response.status, status, `${what}: ${status} expected, got ${response.status}`);
    }
}

async function register() {
    const user = { username: `cons-${randomBytes(6).toString('hex')}`, password: `pw-${randomBytes(12).toString('hex')}` };
    const response = await fetch(`${SERVICE}/auth/register`, json(user));
    assert.equal(response.status, 201, `register: ${response.status}`);
    return user;
}

async function login(user) {
    const response = await fetch(`${SERVICE}/auth/login`, json(user));
    assert.equal(response.status, 200, `login: ${response.status}`);
    const tokens = await response.json();
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url'));
    return { access_token: tokens.access_token, sub: claims.sub };
}

function callExample(tokens) {
    return fetch(`${EXAMPLE}/orders`, { headers: bearer(tokens) });
}

async function waitForExample() {
    await waitFor(async () => (await health()).status === 200, 'the example to report its feed current');
}

// the example lost the feed when the service stopped: wait until it has connected again
async function waitForReconnect(connectionsBefore) {
    await waitFor(async () => {
        const response = await health();
        return response.status === 200 && (await response.json()).connections > connectionsBefore;
    }, 'the example to reconnect to the feed');
}

async function connections() {
    const response = await health();
    return response.status === 200 ? (await response.json()).connections : 0;
}

async function health() {
    try {
        return await fetch(`${EXAMPLE}/healthz`);
    } catch {
        return { status: 0, json: async () => ({}) };
    }
}

async function waitFor(condition, what, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await condition()) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.fail(`timed out waiting for ${what}`);
}

function report(what, delays) {
    const sorted = delays.map((delay) => delay.ms).sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    const figures = {
        what,
        trials: sorted.length,
        first_poll_401: delays.filter((delay) => delay.firstPoll).length,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        max_ms: sorted.at(-1),
    };
    console.log(`${what}: ${figures.trials} trials, logout 204 -> example 401: first poll already 401 in `
        + `${figures.first_poll_401}, p50 ${figures.p50_ms.toFixed(2)} ms, p99 ${figures.p99_ms.toFixed(2)} ms, `
        + `max ${figures.max_ms.toFixed(2)} ms`);
    if (RESULTS_FILE) appendFileSync(RESULTS_FILE, `${JSON.stringify(figures)}\n`);
}

// keeps the example's feed connection count too, so the next phase can wait for a reconnection
async function writeState(state) {
    state.connections = await connections();
    writeFileSync(STATE_FILE, JSON.stringify(state));
}

function readState() {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
}

function json(body) {
    return { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

function bearer(tokens) {
    return { Authorization: `Bearer ${typeof tokens === 'string' ? tokens : tokens.access_token}` };
}

const phase = phases[process.argv[2]];
if (!phase) {
    console.error(`usage: node test/e2e.mjs ${Object.keys(phases).join('|')}`);
    process.exit(2);
}
await phase();
