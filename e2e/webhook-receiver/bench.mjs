// The driver of bench/webhooks.sh.
//   node bench.mjs run <base URL> <logouts.jsonl>   registers USERS accounts, then CONCURRENCY loops of login and
//       logout for DURATION_S seconds; prints {"pairs","pairs_per_s"} and writes {"sid","at"} per logout (at: ms of
//       its 204)
//   node bench.mjs delays <logouts.jsonl> <deliveries.jsonl>   matches each logout to the receiver's delivery of
//       session.revoked for its session and prints the delays' p50/p99 and the logouts never delivered
import { readFileSync, writeFileSync } from 'node:fs';
import { call, claims, expectStatus } from './common.mjs';

const PASSWORD = 'benchmark password';

async function run(base, out) {
    const users = Number(process.env.USERS ?? 32);
    const concurrency = Number(process.env.CONCURRENCY ?? 16);
    const seconds = Number(process.env.DURATION_S ?? 20);
    const names = Array.from({ length: users }, (_, i) => `wh-bench-${Date.now()}-${i}`);
    for (const username of names) {
        expectStatus(await call(base, 'POST', '/auth/register', { json: { username, password: PASSWORD } }), 201, 'register');
    }
    const logouts = [];
    const until = Date.now() + seconds * 1000;
    let next = 0;
    const loop = async () => {
        while (Date.now() < until) {
            const username = names[next++ % names.length];
            const login = expectStatus(await call(base, 'POST', '/auth/login', { json: { username, password: PASSWORD } }),
                200, 'login');
            const logout = expectStatus(await call(base, 'POST', '/auth/logout', { token: login.body.access_token }),
                204, 'logout');
            logouts.push({ sid: claims(login.body.access_token).sid, at: logout.at });
        }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    writeFileSync(out, logouts.map((l) => JSON.stringify(l)).join('\n') + '\n');
    console.log(JSON.stringify({ pairs: logouts.length, pairs_per_s: +(logouts.length / seconds).toFixed(1) }));
}

function lines(path) {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function delays(logoutsPath, recordPath) {
    const arrivals = new Map();
    for (const entry of lines(recordPath)) {
        const sid = entry.event?.session_id;
        if (entry.phase === 'arrived' && entry.verified && entry.type === 'session.revoked' && sid && !arrivals.has(sid)) {
            arrivals.set(sid, entry.arrived);
        }
    }
    const logouts = lines(logoutsPath);
    const measured = logouts.filter((l) => arrivals.has(l.sid)).map((l) => arrivals.get(l.sid) - l.at).sort((a, b) => a - b);
    const pick = (p) => (measured.length ? measured[Math.min(measured.length - 1, Math.floor(p * measured.length))] : null);
    console.log(JSON.stringify({ logouts: logouts.length, delivered: measured.length, p50_ms: pick(0.5), p99_ms: pick(0.99),
        max_ms: measured.at(-1) ?? null }));
}

const [command, a, b] = process.argv.slice(2);
if (command === 'run') {
    await run(a, b);
} else if (command === 'delays') {
    delays(a, b);
} else {
    console.error('usage: bench.mjs run <base> <logouts.jsonl> | delays <logouts.jsonl> <deliveries.jsonl>');
    process.exit(2);
}
