// A webhook receiver for the token service's end-to-end test and benchmark. Every delivery is verified with the
// standardwebhooks library (new Webhook(secret).verify(body, headers)), not with the service's own code; a verified
// one is answered 204, anything else 400. Each request adds JSON lines to RECORD: {"phase":"arrived"} when it comes
// in and {"phase":"answered"} once answered, with the webhook-id, the path (the harness gives each node its own), the
// event's type and session, and the time in ms ({"phase":"lost"} instead when the sender went away first). SLOW_MS holds every delivery that long before answering, as a slow
// receiver would.
//
// env: PORT (default 18490), WEBHOOK_SECRET (whsec_...), RECORD (default ./deliveries.jsonl), SLOW_MS (default 0)
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const port = Number(process.env.PORT ?? 18490);
const record = process.env.RECORD ?? 'deliveries.jsonl';
const slowMs = Number(process.env.SLOW_MS ?? 0);
const webhook = new Webhook(process.env.WEBHOOK_SECRET ?? '');
const seen = new Set();

function write(entry) {
    appendFileSync(record, JSON.stringify(entry) + '\n');
}

function verify(body, headers) {
    try {
        return { payload: webhook.verify(body, headers) };
    } catch (error) {
        return { error: String(error.message ?? error) };
    }
}

const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
        const arrived = Date.now();
        const body = Buffer.concat(chunks).toString('utf8');
        const id = request.headers['webhook-id'] ?? null;
        const { payload, error } = verify(body, request.headers);
        const entry = {
            id, path: request.url, arrived, verified: !error, error,
            type: payload?.type ?? null, event: payload?.data ?? null,
            duplicate: !error && seen.has(id), remote_port: request.socket.remotePort,
        };
        write({ phase: 'arrived', ...entry });
        const answer = () => {
            if (request.socket.destroyed) {
                write({ phase: 'lost', ...entry, lost: Date.now() }); // the sender went away while it was held
                return;
            }
            const status = error ? 400 : 204;
            if (!error) {
                seen.add(id);
            }
            response.writeHead(status).end();
            write({ phase: 'answered', ...entry, status, answered: Date.now() });
        };
        if (slowMs > 0 && !error) {
            setTimeout(answer, slowMs);
        } else {
            answer();
        }
    });
});

server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`webhook receiver on ${port}, recording to ${record}` +
    (slowMs ? `, holding each delivery ${slowMs} ms` : '')));
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => process.exit(0));
}
