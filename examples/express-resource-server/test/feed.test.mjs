// The feed client against a local HTTP server that speaks the feed's wire format: events split across
// chunks and line endings, Last-Event-ID on reconnect, staleness when heartbeats stop, the set's rules.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { RevocationFeed } from '../feed.js';
import { Revocations } from '../revocations.js';

const quiet = { info() {}, warn() {} };

test('snapshot, then events split across chunks and CRLF lines; reconnect sends Last-Event-ID', async (t) => {
    const seen = [];
    const server = await listen(18322, (req, res) => {
        seen.push({ authorization: req.headers.authorization, lastEventId: req.headers['last-event-id'] });
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        if (seen.length === 1) {
            res.write('retry: 50\n\nid: 1-0\nevent: snapshot\ndata: {"revocations":[{"type":"token","jti":"a","exp":9999999999}]}\n\n');
            res.write('id: 2-0\r\nevent: revo');
            res.end('cation\r\ndata: {"type":"session","sid":"s","exp":9999999999}\r\n\r\n: heartbeat\n\n');
        } else {
            res.write('id: 3-0\nevent: revocation\ndata: {"type":"user","sub":"u","iat_before":100,"exp":9999999999}\n\n');
        }
    });
    t.after(() => server.close());
    const revocations = new Revocations();
    const feed = feedFor(server, revocations, 5000);
    t.after(() => feed.stop());
    feed.run();
    await until(() => feed.status().lastEventId === '3-0');

    assert.equal(seen[0].authorization, `Basic ${Buffer.from('example+api:s%C3%A9cret').toString('base64')}`);
    assert.equal(seen[0].lastEventId, undefined);
    assert.equal(seen[1].lastEventId, '2-0');
    assert.ok(feed.isCurrent());
    assert.ok(revocations.isRevoked({ jti: 'a', sub: 'x', iat: 1 }, {}));
    assert.ok(revocations.isRevoked({ jti: 'b', sid: 's', sub: 'x', iat: 1 }, {}));
    assert.ok(revocations.isRevoked({ jti: 'b', sub: 'u', iat: 99 }, {}));
    assert.ok(!revocations.isRevoked({ jti: 'b', sub: 'u', iat: 100 }, {}), 'iat equal to the cut-off is not revoked');
});

test('a snapshot replaces the whole set; expired entries are pruned; retired keys refuse their tokens', () => {
    const revocations = new Revocations();
    revocations.replace([{ type: 'token', jti: 'old', exp: 9999999999 }]);
    revocations.replace([{ type: 'key', kid: 'k1', exp: 9999999999 }, { type: 'token', jti: 'gone', exp: 10 }]);
    assert.ok(!revocations.isRevoked({ jti: 'old', sub: 'x', iat: 1 }, { kid: 'k2' }));
    assert.ok(revocations.isRevoked({ jti: 'new', sub: 'x', iat: 1 }, { kid: 'k1' }));
    revocations.prune(1000);
    assert.deepEqual(revocations.size(), { tokens: 0, sessions: 0, users: 0, keys: 1 });
});

test('no snapshot yet, or a silent feed: not current, and a silent connection is dropped', async (t) => {
    let connections = 0;
    const server = await listen(18323, (req, res) => {
        connections += 1;
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('retry: 50\n\nid: 1-0\nevent: snapshot\ndata: {"revocations":[]}\n\n');
        // then silence: no heartbeat
    });
    t.after(() => server.close());
    t.after(() => server.closeAllConnections());
    const feed = feedFor(server, new Revocations(), 300);
    assert.ok(!feed.isCurrent(), 'not current before the first snapshot');
    t.after(() => feed.stop());
    feed.run();
    await until(() => feed.isCurrent());
    await until(() => !feed.isCurrent());
    await until(() => connections >= 2);
});

function feedFor(server, revocations, staleAfterMs) {
    return new RevocationFeed({
        url: `http://127.0.0.1:${server.address().port}/oauth/revocations`,
        clientId: 'example api',
        clientSecret: 'sécret',
        revocations,
        staleAfterMs,
        log: quiet,
    });
}

function listen(port, handler) {
    const server = createServer(handler);
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function until(condition, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) assert.fail('condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}
