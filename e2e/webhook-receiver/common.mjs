// What drive.mjs and bench.mjs share: calls to the service, the receiver as a child process, and its record.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const RECEIVER_PORT = Number(process.env.RECEIVER_PORT ?? 18490);
export const RECORD = process.env.RECORD ?? join(here, 'deliveries.jsonl');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One call; json, form or basic as needed; returns {status, body, at} (at: ms when the answer came). */
export async function call(base, method, path, { json, form, token, basic } = {}) {
    const headers = {};
    let body;
    if (json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(json);
    } else if (form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(form).toString();
    }
    if (token) {
        headers.authorization = `Bearer ${token}`;
    } else if (basic) {
        headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
    }
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    const at = Date.now();
    let parsed = null;
    try {
        parsed = text ? JSON.parse(text) : null;
    } catch {
        parsed = text;
    }
    return { status: response.status, body: parsed, at };
}

export function expectStatus(result, status, what) {
    if (result.status !== status) {
        throw new Error(`${what}: expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
    }
    return result;
}

export function claims(jwt) {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** Starts receiver.mjs; resolves once it listens. */
export async function startReceiver(extraEnv = {}) {
    const child = spawn(process.execPath, [join(here, 'receiver.mjs')], {
        env: { ...process.env, PORT: String(RECEIVER_PORT), RECORD, ...extraEnv },
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve, reject) => {
        child.stdout.on('data', (chunk) => String(chunk).includes('webhook receiver on') && resolve());
        child.on('exit', (code) => reject(new Error(`the receiver exited (${code})`)));
    });
    return child;
}

export async function stopReceiver(child) {
    if (child.exitCode !== null) {
        return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
}

/** The receiver's record so far. */
export function records() {
    if (!existsSync(RECORD)) {
        return [];
    }
    return readFileSync(RECORD, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Deliveries the receiver verified and answered 204, one per webhook-id (the first), in order of arrival. */
export function delivered() {
    const byId = new Map();
    for (const entry of records()) {
        if (entry.phase === 'answered' && entry.status === 204 && !byId.has(entry.id)) {
            byId.set(entry.id, entry);
        }
    }
    return [...byId.values()];
}

export async function waitFor(predicate, what, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = predicate();
        if (value) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await sleep(100);
    }
}
