import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter, type RetryPolicy } from '../../src/fetch/retry.js';
import { collect, json, makeCall, makeClient, rejectionOf, startServer } from './helpers.js';
import type http from 'node:http';

/** Answers the scripted statuses in order, then 200 with one row. */
function script(steps: Array<(res: http.ServerResponse) => void>) {
  let i = 0;
  return (_q: unknown, res: http.ServerResponse) => {
    const step = steps[i++];
    if (step) return step(res);
    json(res, 200, [{ ok: true }]);
  };
}
const status =
  (s: number, headers: Record<string, string> = {}, body: unknown = { message: `status ${s}` }) =>
  (res: http.ServerResponse) =>
    json(res, s, body, headers);
const bare429 =
  (headers: Record<string, string> = {}) =>
  (res: http.ServerResponse) => {
    res.writeHead(429, headers);
    res.end();
  };
const drop = () => (res: http.ServerResponse) => res.socket?.destroy();

describe('retries', async () => {
  const server = await startServer();

  it.each([
    ['429 with Retry-After seconds', [status(429, { 'retry-after': '7' })], [7000]],
    ['503 with Retry-After', [status(503, { 'retry-after': '2' })], [2000]],
    ['500 then 502 then success (full jitter backoff)', [status(500), status(502)], [250, 500]],
    ['504', [status(504)], [250]],
    ['a dropped connection', [drop()], [250]],
    ['Retry-After above the cap is capped', [status(429, { 'retry-after': '3600' })], [60_000]],
  ])('retries %s', async (_name, steps, waits) => {
    server.handle(script(steps));
    const { client, clock, events } = makeClient(server);
    const { rows, stats } = await collect(client, makeCall());
    expect(rows).toEqual([{ ok: true }]);
    expect(clock.waits).toEqual(waits);
    expect(stats.retries).toBe(waits.length);
    expect(stats.requests).toBe(waits.length + 1);
    expect(events.filter((e) => e.kind === 'retry').map((e) => (e as { waitMs: number }).waitMs)).toEqual(waits);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const { client, clock } = makeClient(server);
    const date = new Date(clock.t + 5000).toUTCString();
    server.handle(script([status(429, { 'retry-after': date })]));
    await collect(client, makeCall());
    expect(clock.waits[0]).toBeGreaterThan(3000);
    expect(clock.waits[0]).toBeLessThanOrEqual(5000);
  });

  it.each([
    [429, 'RATE_LIMITED', /still rate limited \(429 Too Many Requests\) after 3 attempts/],
    [500, 'API_ERROR', /failed on the server \(500 Internal Server Error\) after 3 attempts: status 500/],
    [503, 'API_ERROR', /503 Service Unavailable\) after 3 attempts/],
  ])('%i until retries are spent → %s', async (s, code, message) => {
    server.handle((_q, res) => json(res, s, { message: `status ${s}` }, { 'retry-after': '1' }));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.details).toMatchObject({ status: s });
  });

  it('a network error until retries are spent → NETWORK_ERROR', async () => {
    server.handle((_q, res) => res.socket?.destroy());
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('NETWORK_ERROR');
    expect(err.message).toMatch(/could not reach the API .* after 3 attempts/);
    expect(client.totals.requests).toBe(3);
  });

  it('does not retry 4xx other than 429', async () => {
    server.handle(script([status(400, {}, { error: { code: 'BadRequest', message: 'bad filter' } })]));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('API_ERROR');
    expect(client.totals.requests).toBe(1);
  });

  describe('x-ratelimit bare 429', () => {
    const spec = { rateLimit: { kind: 'x-ratelimit', bare429WaitSeconds: 60 } };

    it('waits bare429WaitSeconds when no rate headers were seen yet', async () => {
      server.handle(script([bare429()]));
      const { client, clock } = makeClient(server, { specExtra: spec });
      await collect(client, makeCall());
      expect(clock.waits).toEqual([60_000]);
    });

    it('waits one replenish period computed from the last seen headers', async () => {
      const limits = {
        'x-ratelimit-remaining': '5',
        'x-ratelimit-replenish-rate': '1',
        'x-ratelimit-replenish-time': '15',
        'x-ratelimit-burst-capacity': '20',
      };
      server.handle(script([status(200, limits, [{ first: true }]), bare429()]));
      const { client, clock } = makeClient(server, { specExtra: spec });
      await collect(client, makeCall());
      await collect(client, makeCall());
      expect(clock.waits).toEqual([15_000]);
    });
  });

  describe('non-idempotent calls', () => {
    it.each([
      ['500', [status(500)]],
      ['a dropped connection', [drop()]],
    ])('are not retried after %s', async (_n, steps) => {
      server.handle(script(steps));
      const { client } = makeClient(server);
      const err = await rejectionOf(collect(client, makeCall({ request: { method: 'POST', path: '/w', query: {} }, idempotent: false })));
      expect(['API_ERROR', 'NETWORK_ERROR']).toContain(err.code);
      expect(client.totals.requests).toBe(1);
    });

    it('are retried after a 429 (not processed)', async () => {
      server.handle(script([status(429, { 'retry-after': '1' })]));
      const { client } = makeClient(server);
      const { rows } = await collect(client, makeCall({ request: { method: 'POST', path: '/w', query: {} }, idempotent: false }));
      expect(rows).toHaveLength(1);
    });
  });

  it('retries a per-request timeout, then TIMEOUT', async () => {
    server.handle(() => {});
    const { client, events } = makeClient(server, { timeoutMs: 80, specExtra: { maxRetries: 1 } });
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/timed out .* after 2 attempts/);
    expect(events.filter((e) => e.kind === 'retry')).toEqual([expect.objectContaining({ reason: 'timeout', attempt: 1 })]);
  });
});

describe('retry policy helpers', () => {
  it.each([
    ['5', 5000],
    ['0', 0],
    ['1.5', 1500],
    ['', undefined],
    ['soon', undefined],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ])('parseRetryAfter(%j)', (v, want) => {
    expect(parseRetryAfter(v, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(want);
  });

  it('backoff is full jitter under an exponential ceiling and the cap', () => {
    const p = { baseMs: 500, capMs: 3000 } as RetryPolicy;
    expect(backoffMs(1, { ...p, random: () => 0.999 })).toBeLessThan(500);
    expect(backoffMs(3, { ...p, random: () => 0.5 })).toBe(1000);
    expect(backoffMs(10, { ...p, random: () => 0.999 })).toBeLessThan(3000);
    expect(backoffMs(4, { ...p, random: () => 0 })).toBe(0);
  });
});
