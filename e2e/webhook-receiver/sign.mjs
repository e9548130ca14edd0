// Sends one request to the receiver signed by hand (node:crypto HMAC-SHA256 over id.timestamp.body, keyed with the
// decoded whsec_ secret), as the service signs, and one with a wrong signature: checks the receiver's library takes
// the first and refuses the second. env: RECEIVER_URL, WEBHOOK_SECRET.
import { createHmac, randomUUID } from 'node:crypto';

const url = process.env.RECEIVER_URL ?? 'http://127.0.0.1:18490/check';
const key = Buffer.from(process.env.WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
const id = `msg_${randomUUID()}`;
const timestamp = Math.floor(Date.now() / 1000);
const time = new Date().toISOString();
const body = JSON.stringify({ type: 'login.succeeded', timestamp: time, data: { id: id.slice(4), type: 'login.succeeded', time } });
const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');

async function post(sig) {
    const response = await fetch(url, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sig },
    });
    return response.status;
}

const good = await post(`v1,${signature}`);
const bad = await post(`v1,${Buffer.alloc(32).toString('base64')}`);
console.log(JSON.stringify({ id, good, bad }));
if (good !== 204 || bad !== 400) {
    process.exit(1);
}
