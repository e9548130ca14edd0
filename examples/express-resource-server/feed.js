// Mirrors the token service's revocation feed (GET /oauth/revocations, text/event-stream) into a
// Revocations set. Parses the event stream itself over fetch, reconnects with Last-Event-ID and
// exponential backoff, and knows when its copy may be stale: no event and no heartbeat comment for
// longer than staleAfterMs (the service stops its heartbeats while its own mirror is not current).

const MAX_BACKOFF_MS = 5000;

export class RevocationFeed {
    #url;
    #authorization;
    #revocations;
    #staleAfterMs;
    #log;
    #lastEventId = null;
    #retryMs = 1000;
    #lastHeardAt = 0;
    #synced = false;
    #connected = false;
    #connections = 0;
    #abort = null;
    #stopped = false;

    constructor({ url, clientId, clientSecret, revocations, staleAfterMs, log = console }) {
        this.#url = url;
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding
        const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
        this.#authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
        this.#revocations = revocations;
        this.#staleAfterMs = staleAfterMs;
        this.#log = log;
    }

    /** Whether the mirror can be trusted: a snapshot arrived once and the feed spoke within the bound. */
    isCurrent() {
        return this.#synced && Date.now() - this.#lastHeardAt <= this.#staleAfterMs;
    }

    status() {
        return {
            current: this.isCurrent(),
            connected: this.#connected,
            connections: this.#connections,
            lastEventId: this.#lastEventId,
            silentForMs: this.#lastHeardAt ? Date.now() - this.#lastHeardAt : null,
            revocations: this.#revocations.size(),
        };
    }

    /** Connects, and keeps reconnecting until stop(). */
    async run() {
        const watchdog = setInterval(() => this.#abortIfSilent(), Math.min(1000, this.#staleAfterMs));
        const pruner = setInterval(() => this.#revocations.prune(), 60_000);
        let failures = 0;
        try {
            while (!this.#stopped) {
                const started = Date.now();
                const heard = await this.#connectOnce();
                failures = heard ? 0 : failures + 1;
                if (this.#stopped) break;
                // the service ends every connection after a while on purpose: after one that lasted,
                // reconnect at once, since a revocation made in the gap would be accepted until then
                if (heard && Date.now() - started > this.#retryMs) continue;
                const delay = Math.min(this.#retryMs * 2 ** Math.min(failures, 10), MAX_BACKOFF_MS);
                await sleep(delay * (0.5 + Math.random() / 2));
            }
        } finally {
            clearInterval(watchdog);
            clearInterval(pruner);
        }
    }

    stop() {
        this.#stopped = true;
        this.#abort?.abort();
    }

    // one connection, until the service closes it or it fails; true when it delivered something
    async #connectOnce() {
        this.#abort = new AbortController();
        const headers = { Accept: 'text/event-stream', Authorization: this.#authorization };
        if (this.#lastEventId !== null) headers['Last-Event-ID'] = this.#lastEventId;
        let heard = false;
        try {
            const response = await fetch(this.#url, { headers, signal: this.#abort.signal });
            if (response.status !== 200 || !response.body) {
                this.#log.warn(`revocation feed: ${this.#url} answered ${response.status}`);
                await response.body?.cancel();
                return false;
            }
            this.#connected = true;
            this.#connections += 1;
            this.#hear();
            heard = true;
            await this.#read(response.body);
            this.#log.info('revocation feed: the service closed the stream; reconnecting');
        } catch (error) {
            if (!this.#stopped) this.#log.warn(`revocation feed: ${error.cause?.code ?? error.message}`);
        } finally {
            this.#connected = false;
        }
        return heard;
    }

    async #read(body) {
        const decoder = new TextDecoder();
        let buffer = '';
        let event = { type: '', data: [] };
        for await (const chunk of body) {
            this.#hear();
            buffer += decoder.decode(chunk, { stream: true });
            let end;
            while ((end = lineEnd(buffer)) !== -1) {
                const line = buffer.slice(0, end);
                buffer = buffer.slice(buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1);
                if (line === '') {
                    this.#dispatch(event);
                    event = { type: '', data: [] };
                } else {
                    this.#field(line, event);
                }
            }
        }
    }

    // one line of the stream, by the WHATWG event-stream rules; a comment line is a heartbeat
    #field(line, event) {
        if (line.startsWith(':')) return;
        const colon = line.indexOf(':');
        const name = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (name === 'data') event.data.push(value);
        else if (name === 'event') event.type = value;
        else if (name === 'id' && !value.includes('\0')) event.id = value;
        else if (name === 'retry' && /^\d+$/.test(value)) this.#retryMs = Number(value);
    }

    #dispatch(event) {
        if (event.data.length === 0) return;
        let payload;
        try {
            payload = JSON.parse(event.data.join('\n'));
        } catch {
            this.#log.warn('revocation feed: an event with unreadable data was skipped');
            return;
        }
        if (event.type === 'snapshot') {
            this.#revocations.replace(Array.isArray(payload.revocations) ? payload.revocations : []);
            this.#synced = true;
        } else if (event.type === 'revocation') {
            this.#revocations.add(payload);
        } else {
            return;
        }
        // the id moves only once its event is applied, so a reconnect never skips an event
        if (event.id !== undefined) this.#lastEventId = event.id;
    }

    #hear() {
        this.#lastHeardAt = Date.now();
    }

    // a connection that stays silent past the bound may be half-open: drop it and reconnect
    #abortIfSilent() {
        if (this.#connected && Date.now() - this.#lastHeardAt > this.#staleAfterMs) {
            this.#log.warn(`revocation feed: silent for more than ${this.#staleAfterMs} ms; reconnecting`);
            this.#abort?.abort();
        }
    }
}

function lineEnd(text) {
    const cr = text.indexOf('\r');
    const lf = text.indexOf('\n');
    if (cr === -1) return lf;
    if (lf === -1) return cr === text.length - 1 ? -1 : cr; // a lone CR at the end may precede an LF
    return Math.min(cr, lf);
}

function formEncode(value) {
    return encodeURIComponent(value).replace(/%20/g, '+');
}

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
