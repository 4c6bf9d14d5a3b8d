// Fault-injection suite (issue 9): sessql against an API that fails in every way we know of. Each
// case ends with the right rows, or one clear SessqlError with the right code — never a hang, an
// INTERNAL error, partial rows, or a secret in anything printed. Waits use a fake clock (sleeps
// advance it at once), so no case depends on real time except the two deadline cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../src/engine/engine.js';
import type { SessqlError } from '../../src/errors.js';
import type { FetchEvent } from '../../src/fetch/types.js';
import { render } from '../../src/output/render.js';
import { CLIENT_ID, CLIENT_SECRET, FaultServer, item, manifestFile, SECRETS, send, type Script } from './fault-server.js';

let server: FaultServer;
let manifest: string;
beforeAll(async () => {
  server = await new FaultServer().start();
  manifest = manifestFile();
});
afterAll(() => server.close());

function fakeClock() {
  let t = 1_700_000_000_000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

interface Outcome {
  rows?: unknown[][];
  warnings?: string[];
  error?: SessqlError;
  events: FetchEvent[];
  printed: string;
}

async function run(sql: string, script: Script, extra: Partial<EngineOptions> = {}): Promise<Outcome> {
  server.use(script);
  const clock = fakeClock();
  const events: FetchEvent[] = [];
  const engine = createEngine({
    env: {},
    cache: false,
    manifests: [manifest],
    config: { faulty: { baseUrl: server.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } },
    onEvent: (e) => events.push(e),
    ...extra,
    fetch: { sleep: clock.sleep, now: clock.now, timeoutMs: 2000, random: () => 0.5, ...extra.fetch },
  });
  try {
    const r = await engine.query(sql);
    return { rows: r.rows, warnings: r.warnings, events, printed: render('json', r) + r.warnings.join('\n') + JSON.stringify(events) };
  } catch (e) {
    const err = e as SessqlError;
    return { error: err, events, printed: [err.message, err.hint, JSON.stringify(err.details), err.stack, JSON.stringify(events)].join('\n') };
  } finally {
    engine.close();
  }
}

function expectClean(o: Outcome): void {
  for (const s of SECRETS) expect(o.printed).not.toContain(s);
  if (o.error) {
    expect(o.error.name).toBe('SessqlError');
    expect(o.error.code).not.toBe('INTERNAL');
  }
}

function expectError(o: Outcome, code: string, message?: RegExp): SessqlError {
  expectClean(o);
  expect(o.rows, `expected ${code}, got rows`).toBeUndefined();
  expect(o.error?.code, o.error?.message).toBe(code);
  if (message) expect(o.error!.message).toMatch(message);
  return o.error!;
}

function expectRows(o: Outcome, n: number): void {
  expectClean(o);
  expect(o.error?.message).toBeUndefined();
  expect(o.rows).toHaveLength(n);
}

const ITEMS = 'SELECT id, n, flag, meta FROM faulty.api.items ORDER BY n';
/** Three pages of two items; `fault` may answer instead for request number n. */
const pages =
  (fault?: (n: number, res: Parameters<Script>[1], q: Parameters<Script>[0]) => boolean): Script =>
  (q, res) => {
    if (fault?.(q.n, res, q)) return;
    const p = Number(q.query.cursor ?? 0);
    send(res, 200, { items: [item(2 * p), item(2 * p + 1)], ...(p < 2 ? { next: String(p + 1) } : {}) });
  };

describe('rate limits and server errors', () => {
  it('429 with Retry-After, once: the right rows after waiting what the server asked', async () => {
    const o = await run(
      ITEMS,
      pages((n, res) => n === 2 && (send(res, 429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '7' }), true)),
    );
    expectRows(o, 6);
    expect(o.events).toContainEqual(expect.objectContaining({ kind: 'retry', status: 429, waitMs: 7000, attempt: 1, of: 3 }));
  });

  it('429 without Retry-After, once: back-off, then the right rows', async () => {
    expectRows(
      await run(
        ITEMS,
        pages((n, res) => n === 1 && (send(res, 429, ''), true)),
      ),
      6,
    );
  });

  it('429 forever: RATE_LIMITED after the retries', async () => {
    expectError(await run(ITEMS, (_q, res) => send(res, 429, '', { 'retry-after': '1' })), 'RATE_LIMITED', /after 3 attempts/);
  });

  it('500 once: the right rows; 503 forever: API_ERROR', async () => {
    expectRows(
      await run(
        ITEMS,
        pages((n, res) => n === 2 && (send(res, 500, 'oops'), true)),
      ),
      6,
    );
    expectError(await run(ITEMS, (_q, res) => send(res, 503, { error: { code: 'ServiceUnavailable', message: 'down' } })), 'API_ERROR', /503/);
  });

  it('a hostile server echoing the credentials in its errors leaks nothing', async () => {
    const o = await run(ITEMS, (q, res) => send(res, 500, `token ${q.token} secret ${CLIENT_SECRET} `.repeat(30)));
    expectError(o, 'API_ERROR');
  });
});

describe('connections', () => {
  it('a reset once: the right rows; resets forever: NETWORK_ERROR', async () => {
    expectRows(
      await run(
        ITEMS,
        pages((n, res) => n === 2 && (res.socket?.destroy(), true)),
      ),
      6,
    );
    expectError(await run(ITEMS, (_q, res) => res.socket?.destroy()), 'NETWORK_ERROR', /after 3 attempts/);
  });

  it('a server that never answers: TIMEOUT per request, and the hint names the setting', async () => {
    const e = expectError(await run(ITEMS, () => undefined, { fetch: { timeoutMs: 100 } }), 'TIMEOUT', /timed out/);
    expect(e.hint).toMatch(/timeoutSeconds/);
  });

  it('a body that trickles in a byte at a time: TIMEOUT per request (the timeout covers the whole body)', async () => {
    const o = await run(
      ITEMS,
      (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 20);
        res.on('close', () => clearInterval(timer));
      },
      { fetch: { timeoutMs: 150 } },
    );
    expectError(o, 'TIMEOUT', /timed out/);
  });

  it('the statement deadline ends a statement stuck in retries (--timeout)', async () => {
    // real time: the server hangs, each request may take 5 s, the statement only 300 ms
    const e = expectError(
      await run(ITEMS, () => undefined, { statementTimeoutMs: 300, fetch: { timeoutMs: 5000, sleep: undefined, now: undefined } }),
      'TIMEOUT',
      /statement did not finish fetching within 300 ms/,
    );
    expect(e.hint).toMatch(/--timeout/);
  });

  it('the statement deadline also bounds an EXEC method', async () => {
    const o = await run('EXEC faulty.api.items.poke', () => undefined, {
      statementTimeoutMs: 300,
      fetch: { timeoutMs: 5000, sleep: undefined, now: undefined },
    });
    expectError(o, 'TIMEOUT', /statement did not finish/);
  });

  it('a truncated body (connection cut mid-body): a clear error, not rows', async () => {
    const o = await run(ITEMS, (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"items":[{"id":"i1","n":1');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    expectClean(o);
    expect(['NETWORK_ERROR', 'MALFORMED_RESPONSE']).toContain(o.error?.code);
  });
});

describe('bodies', () => {
  it.each<[string, Script, RegExp]>([
    ['malformed JSON', (_q, res) => send(res, 200, '{"items": [1, 2'), /not JSON/],
    ['HTML instead of JSON', (_q, res) => send(res, 200, '<html>login</html>', { 'content-type': 'text/html' }), /not JSON/],
    ['rows not an array', (_q, res) => send(res, 200, { items: 'none' }), /expected an array/],
    ['no rows field', (_q, res) => send(res, 200, { data: [] }), /expected an array/],
    ['an item of the wrong type', (_q, res) => send(res, 200, { items: [{ id: 'x', n: 'many' }] }), /n/],
    ['a cursor of the wrong type', (_q, res) => send(res, 200, { items: [item(1)], next: { deep: 1 } }), /cursor/],
    ['an empty 200', (_q, res) => send(res, 200, ''), /empty body/],
  ])('%s: MALFORMED_RESPONSE', async (_name, script, message) => {
    expectError(await run(ITEMS, script), 'MALFORMED_RESPONSE', message);
  });

  it('an enormous body: RESPONSE_TOO_LARGE at the limit, not read whole', async () => {
    const e = expectError(
      await run(
        ITEMS,
        (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"items":[');
          const chunk = `${JSON.stringify(item(1))},`.repeat(2000);
          let sent = 0;
          const more = () => {
            while (sent < 400 && res.write(chunk)) sent++;
            if (sent < 400 && !res.destroyed) res.once('drain', more);
          };
          more();
        },
        { fetch: { maxResponseBytes: 512 * 1024 } },
      ),
      'RESPONSE_TOO_LARGE',
      /larger than 524288 bytes/,
    );
    expect(e.hint).toMatch(/--max-response-size/);
  });
});

describe('pagination', () => {
  it('a repeated cursor: PAGINATION_LOOP', async () => {
    expectError(
      await run(ITEMS, (q, res) => send(res, 200, { items: [item(Number(q.query.cursor ?? 0))], next: q.query.cursor === '1' ? '0' : '1' })),
      'PAGINATION_LOOP',
    );
  });

  it('endless fresh cursors on empty pages: PAGINATION_LOOP after a bounded number of requests', async () => {
    const o = await run(ITEMS, (q, res) => send(res, 200, { items: [], next: `c${q.n}` }));
    expectError(o, 'PAGINATION_LOOP', /empty pages in a row/);
    expect(server.requests('/items').length).toBeLessThanOrEqual(30);
  });

  it('the token expires mid-pagination: one new token, the right rows', async () => {
    const o = await run(
      ITEMS,
      pages((n, _res, q) => {
        if (n === 2) server.valid.delete(q.token!);
        return false;
      }),
    );
    // the request that met the expired token is answered 401 by the server itself, then retried
    expectRows(o, 6);
    expect(server.tokensIssued).toBeGreaterThanOrEqual(2);
  });

  it('an off-origin nextLink is refused before any request is sent there', async () => {
    const o = await run('SELECT id FROM faulty.api.links', (_q, res) =>
      send(res, 200, { value: [{ id: 'a' }], nextLink: 'http://127.0.0.2:1/steal' }),
    );
    expectError(o, 'MALFORMED_RESPONSE', /another origin/);
  });

  it('a redirect to another origin is not followed', async () => {
    const o = await run(ITEMS, (_q, res) => send(res, 302, '', { location: 'http://127.0.0.2:1/steal' }));
    expectError(o, 'API_ERROR', /302/);
  });
});

describe('long-running operations', () => {
  const accepted = (location: string) => (res: Parameters<Script>[1]) => send(res, 202, '', { location, 'retry-after': '10' });

  it('failure: OPERATION_FAILED with the service’s message', async () => {
    const o = await run('SELECT id FROM faulty.api.ops', (q, res) => {
      if (q.path === '/ops')
        return send(res, 202, '', { 'azure-asyncoperation': `${server.url}/status`, location: `${server.url}/result`, 'retry-after': '5' });
      send(res, 200, { status: 'Failed', error: { code: 'Boom', message: 'it broke' } });
    });
    expectError(o, 'OPERATION_FAILED', /it broke/);
  });

  it('no end: TIMEOUT at the limit, the hint names --lro-timeout; every poll announced', async () => {
    const o = await run('SELECT id FROM faulty.api.ops', (q, res) => accepted(`${server.url}/poll`)(res), { fetch: { lroTimeoutMs: 60_000 } });
    const e = expectError(o, 'TIMEOUT', /long-running operation did not finish within 60 s/);
    expect(e.hint).toMatch(/--lro-timeout/);
    expect(o.events.filter((x) => x.kind === 'lro-poll').length).toBeGreaterThan(3);
  });

  it('an off-origin Location is refused', async () => {
    expectError(
      await run('SELECT id FROM faulty.api.ops', (_q, res) => accepted('http://127.0.0.2:1/poll')(res)),
      'MALFORMED_RESPONSE',
      /another origin/,
    );
  });

  it('a 202 that succeeds after polls: the right rows', async () => {
    const o = await run('SELECT id FROM faulty.api.ops', (q, res) => {
      if (q.path === '/ops') return accepted(`${server.url}/poll`)(res);
      if (q.n < 3) return accepted(`${server.url}/poll`)(res);
      send(res, 200, { value: [{ id: 'a' }, { id: 'b' }] });
    });
    expectRows(o, 2);
  });
});

describe('fan-out 404s', () => {
  const hosts: Script = (q, res) => {
    if (q.path === '/hosts') return send(res, 200, { value: [{ name: 'h1' }, { name: 'h2' }, { name: 'gone' }] });
    if (q.path === '/hosts/gone/items') return send(res, 404, { error: { code: 'ResourceNotFound', message: 'no host gone' } });
    send(res, 200, { value: [{ id: q.path }] });
  };

  it('the API’s own NotFound for one listed host: the other hosts’ rows, and one warning naming it', async () => {
    const o = await run('SELECT id FROM faulty.api.host_items ORDER BY id', hosts);
    expectRows(o, 2);
    expect(o.warnings?.filter((w) => w.includes('host=gone'))).toHaveLength(1);
    expect(o.warnings?.join()).toContain('ResourceNotFound');
  });

  it('a 404 with an HTML body (a proxy) on every host: NOT_FOUND, not an empty result', async () => {
    const o = await run('SELECT id FROM faulty.api.host_items', (q, res) => {
      if (q.path === '/hosts') return send(res, 200, { value: [{ name: 'h1' }, { name: 'h2' }] });
      send(res, 404, '<html><body><h1>404 Not Found</h1>nginx</body></html>', { 'content-type': 'text/html' });
    });
    expectError(o, 'NOT_FOUND', /not the API's own not-found error/);
  });
});
