import { describe, expect, it } from 'vitest';
import { collect, json, makeCall, makeClient, rejectionOf, startServer } from './helpers.js';

const real = { sleep: undefined, now: Date.now };

describe('cancellation', async () => {
  const server = await startServer();

  it('a signal aborted before the call makes no request', async () => {
    const { client } = makeClient(server, real);
    const before = server.seen.length;
    const err = await rejectionOf(collect(client, makeCall({ signal: AbortSignal.abort() })));
    expect(err.code).toBe('CANCELLED');
    expect(server.seen.length).toBe(before);
  });

  it.each([
    ['an in-flight request', () => server.handle(() => {})],
    ['a retry wait (Retry-After 30 s)', () => server.handle((_q, res) => json(res, 503, {}, { 'retry-after': '30' }))],
    ['an operation poll wait', () => server.handle((_q, res) => json(res, 202, undefined, { location: `${server.url}/op`, 'retry-after': '30' }))],
    ['a rate-limit hold', () => server.handle((_q, res) => json(res, 429, {}, { 'retry-after': '30' }))],
  ])('aborting during %s rejects at once with CANCELLED', async (_n, arrange) => {
    arrange();
    const { client } = makeClient(server, { ...real, timeoutMs: 30_000 });
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 60);
    const err = await rejectionOf(
      collect(client, makeCall({ signal: ac.signal, longRunning: 'azure-async', request: { method: 'POST', path: '/op0', query: {} } })),
    );
    expect(err.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('aborting while waiting for a concurrency slot rejects with CANCELLED and frees nothing twice', async () => {
    server.handle(async (_q, res) => {
      await new Promise((r) => setTimeout(r, 150));
      json(res, 200, [1]);
    });
    const { client } = makeClient(server, { ...real, concurrency: 1 });
    const ac = new AbortController();
    const first = collect(client, makeCall());
    const second = collect(client, makeCall({ signal: ac.signal }));
    setTimeout(() => ac.abort(), 30);
    expect((await rejectionOf(second)).code).toBe('CANCELLED');
    expect((await first).rows).toEqual([1]);
    const [a, b] = await Promise.all([collect(client, makeCall()), collect(client, makeCall())]);
    expect([a.rows, b.rows]).toEqual([[1], [1]]);
  });

  it('a cancelled call does not fail another call sharing the token request', async () => {
    let issued = 0;
    server.handle(async (q, res) => {
      if (q.path === '/token') {
        await new Promise((r) => setTimeout(r, 100));
        return json(res, 200, { access_token: `t${++issued}`, expires_in: 3600 });
      }
      json(res, 200, [q.headers.authorization]);
    });
    const { client } = makeClient(server, {
      ...real,
      specExtra: { auth: { kind: 'oauth2-client-credentials', tokenPath: '/token', clientIdConfig: 'clientId', clientSecretConfig: 'clientSecret' } },
      config: { clientId: 'id', clientSecret: 'secret' },
    });
    const ac = new AbortController();
    const cancelled = collect(client, makeCall({ signal: ac.signal }));
    const other = collect(client, makeCall());
    setTimeout(() => ac.abort(), 20);
    expect((await rejectionOf(cancelled)).code).toBe('CANCELLED');
    expect((await other).rows).toEqual(['Bearer t2']);
  });
});
