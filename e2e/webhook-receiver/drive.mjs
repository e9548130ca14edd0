// Drives the webhook end-to-end test (scripts/webhooks-e2e.sh): every event type the service writes, caused once
// through the HTTP API of two nodes, must reach this receiver verified by the standardwebhooks library; then the
// receiver is down for about 10 s while events happen (all arrive after it is back, none twice once de-duplicated
// by webhook-id); then a node is killed (-9) while the receiver holds its delivery, and the other node delivers it.
//
// env: NODE_A_URL, NODE_B_URL, NODE_A_PID, NODE_B_PID, WEBHOOK_SECRET, ADMIN_USERNAME, ADMIN_PASSWORD, CLIENT_ID,
// RECEIVER_PORT, RECORD, RESULTS. Each node's webhook URL ends in /a or /b, so the record tells the sender.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import {
    call, claims, delivered, expectStatus, records, RECORD, sleep, startReceiver, stopReceiver, waitFor,
} from './common.mjs';

const A = process.env.NODE_A_URL;
const B = process.env.NODE_B_URL;
const PIDS = { '/a': Number(process.env.NODE_A_PID), '/b': Number(process.env.NODE_B_PID) };
const PASSWORD = 'correct horse battery';
const secret = process.env.WEBHOOK_SECRET;
const expected = [];
const results = { steps: {} };

const user = () => `hook-${randomUUID().slice(0, 12)}`;
// each wanted field equal; a wanted object (detail) is compared field by field
const fieldsMatch = (actual, want) => Object.entries(want ?? {}).every(([key, value]) =>
    (value !== null && typeof value === 'object' ? fieldsMatch(actual?.[key], value) : actual?.[key] === value));
const matches = (entry, want) => entry.type === want.type && fieldsMatch(entry.event, want.data);
const found = (want) => delivered().filter((entry) => matches(entry, want));

/** Expects deliveries of this event (exactly `count` of them when given), and waits for the first. */
async function expectEvent(step, want, count) {
    expected.push({ step, want, count });
    await waitFor(() => found(want).length > 0, `${step}: a delivery of ${JSON.stringify(want)}`);
}

async function register(base, username) {
    expectStatus(await call(base, 'POST', '/auth/register', { json: { username, password: PASSWORD } }), 201, 'register');
}

async function login(base, username, password = PASSWORD) {
    const result = expectStatus(await call(base, 'POST', '/auth/login', { json: { username, password } }), 200, 'login');
    return { ...result.body, sid: claims(result.body.access_token).sid };
}

async function account() {
    const username = user();
    await register(A, username);
    await expectEvent('register', { type: 'account.registered', data: { username } }, 1);
    const session = await login(B, username);
    await expectEvent('login', { type: 'login.succeeded', data: { username, session_id: session.sid } }, 1);
    expectStatus(await call(A, 'POST', '/auth/login', { json: { username, password: 'wrong password' } }), 401, 'wrong login');
    await expectEvent('wrong login', { type: 'login.failed', data: { username } }, 1);
    expectStatus(await call(B, 'POST', '/auth/password', {
        token: session.access_token, json: { current_password: PASSWORD, new_password: `${PASSWORD} 2` },
    }), 204, 'password change');
    await expectEvent('password change', { type: 'password.changed', data: { username } }, 1);
}

async function lockout() {
    const username = user();
    await register(A, username);
    let status;
    for (let i = 0; i < 20 && status !== 429; i++) {
        ({ status } = await call(i % 2 ? A : B, 'POST', '/auth/login', { json: { username, password: 'wrong' } }));
    }
    if (status !== 429) {
        throw new Error('lockout: no 429 after 20 wrong logins');
    }
    await expectEvent('lockout', { type: 'login.throttled', data: { username } }, 1);
    const concurrent = user();
    await register(B, concurrent);
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        call(i % 2 ? A : B, 'POST', '/auth/login', { json: { username: concurrent, password: 'wrong' } })
            .then((r) => r.status)));
    results.steps.concurrentWrongLogins = count(statuses);
    await expectEvent('30 concurrent wrong logins', { type: 'login.throttled', data: { username: concurrent } }, 1);
}

async function sessions() {
    const username = user();
    await register(A, username);
    const one = await login(A, username);
    expectStatus(await call(B, 'POST', '/auth/logout', { token: one.access_token }), 204, 'logout');
    await expectEvent('logout', { type: 'session.revoked', data: { session_id: one.sid } }, 1);
    const two = await login(A, username);
    const three = await login(B, username);
    expectStatus(await call(A, 'DELETE', `/auth/sessions/${three.sid}`, { token: two.access_token }), 204, 'end a session');
    await expectEvent('DELETE /auth/sessions/{id}', { type: 'session.revoked', data: { session_id: three.sid } }, 1);
    const four = await login(B, username);
    expectStatus(await call(A, 'POST', '/auth/logout-all', { token: four.access_token }), 204, 'logout-all');
    // one event for all the sessions it ends, with their number
    await expectEvent('logout-all', { type: 'session.revoked', data: { username, detail: { reason: 'logout_all' } } }, 1);
    const five = await login(A, username);
    expectStatus(await call(B, 'POST', '/auth/revoke', { form: { token: five.refresh_token } }), 200, 'RFC 7009 revoke');
    await expectEvent('RFC 7009 revoke of a refresh token', { type: 'session.revoked', data: { session_id: five.sid } }, 1);
}

async function refreshReuse() {
    const username = user();
    await register(A, username);
    const session = await login(A, username);
    expectStatus(await call(B, 'POST', '/auth/refresh', { json: { refresh_token: session.refresh_token } }), 200, 'refresh');
    await sleep(1500); // past the nodes' reuse grace (1 s)
    expectStatus(await call(A, 'POST', '/auth/refresh', { json: { refresh_token: session.refresh_token } }), 401, 'reuse');
    await expectEvent('refresh-token reuse', { type: 'refresh.reuse_detected', data: { session_id: session.sid } }, 1);
}

async function keysAndClients() {
    const admin = await login(A, process.env.ADMIN_USERNAME, process.env.ADMIN_PASSWORD);
    expectStatus(await call(B, 'POST', '/admin/keys/rotate?retire=now', { token: admin.access_token }), 201, 'rotate');
    await expectEvent('key rotation', { type: 'key.rotated' });
    await expectEvent('key retirement', { type: 'key.retired' });
    const client = process.env.CLIENT_ID;
    let status;
    for (let i = 0; i < 20 && status !== 429; i++) {
        ({ status } = await call(A, 'POST', '/oauth/token', {
            form: { grant_type: 'client_credentials' }, basic: [client, `wrong-${i}`],
        }));
    }
    if (status !== 429) {
        throw new Error('client throttling: no 429 after 20 wrong secrets');
    }
    await expectEvent('client throttling', { type: 'client.throttled', data: { client_id: client } });
}

/** Logins and logouts while the receiver is down for about 10 s; everything arrives once it is back. */
async function outage(receiver) {
    await stopReceiver(receiver);
    const sids = [];
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
        const username = user();
        await register(sids.length % 2 ? A : B, username);
        const session = await login(sids.length % 2 ? B : A, username);
        expectStatus(await call(A, 'POST', '/auth/logout', { token: session.access_token }), 204, 'logout');
        sids.push(session.sid);
        await sleep(500);
    }
    const back = await startReceiver({ WEBHOOK_SECRET: secret });
    for (const sid of sids) {
        await expectEvent('receiver down ~10 s', { type: 'session.revoked', data: { session_id: sid } }, 1);
    }
    results.steps.outage = { sessions: sids.length };
    return back;
}

/** The receiver holds each delivery; the node that sent one is killed; the other sends it again. */
async function nodeDies(receiver) {
    await stopReceiver(receiver);
    const slow = await startReceiver({ WEBHOOK_SECRET: secret, SLOW_MS: '8000' });
    const username = user();
    await register(A, username);
    const want = { type: 'account.registered', data: { username } };
    const held = await waitFor(() => records().find((e) => e.phase === 'arrived' && matches(e, want)),
        'the held delivery');
    const victim = PIDS[held.path];
    process.kill(victim, 'SIGKILL');
    const survivor = held.path === '/a' ? '/b' : '/a';
    const redelivered = await waitFor(() => records().find((e) => e.phase === 'answered' && e.status === 204
        && e.path === survivor && matches(e, want)),
        `the delivery from the surviving node (${survivor})`, 40_000);
    expected.push({ step: 'node killed mid-delivery', want, count: 1 });
    results.steps.nodeDies = { killed: held.path, redeliveredBy: redelivered.path,
        heldAt: held.arrived, redeliveredAt: redelivered.arrived };
    return slow;
}

function count(values) {
    return values.reduce((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
}

function check() {
    const all = records().filter((e) => e.phase === 'arrived');
    const unverified = all.filter((e) => !e.verified);
    const answered = records().filter((e) => e.phase === 'answered' && e.status === 204);
    const unique = delivered();
    const failures = [];
    if (unverified.length) {
        failures.push(`${unverified.length} deliveries failed verification: ${unverified[0].error}`);
    }
    for (const { step, want, count: exactly } of expected) {
        const n = found(want).length;
        if (n === 0 || (exactly !== undefined && n !== exactly)) {
            failures.push(`${step}: ${n} distinct deliveries of ${JSON.stringify(want)}, expected ${exactly ?? '1 or more'}`);
        }
    }
    const types = [...new Set(unique.map((e) => e.type))].sort();
    Object.assign(results, {
        arrivals: all.length, answered204: answered.length, distinctWebhookIds: unique.length,
        redeliveries: answered.length - unique.length, types, failures,
    });
    return failures;
}

rmSync(RECORD, { force: true });
let receiver = await startReceiver({ WEBHOOK_SECRET: secret });
try {
    await account();
    await lockout();
    await sessions();
    await refreshReuse();
    await keysAndClients();
    receiver = await outage(receiver);
    receiver = await nodeDies(receiver);
    await sleep(3000); // any late redelivery would show now
} finally {
    const failures = check();
    await stopReceiver(receiver);
    writeFileSync(process.env.RESULTS ?? 'webhooks-e2e-results.json', JSON.stringify(results, null, 2));
    console.log(JSON.stringify(results, null, 2));
    if (failures.length) {
        process.exitCode = 1;
    }
}
