import { describe, expect, it } from 'vitest';
import { createProviderClient, type FetchEvent, type HttpPort, type HttpResponse } from '../../src/fetch/index.js';
import { Pacer, numericHeader } from '../../src/fetch/pacer.js';
import { QuotaEstimates } from '../../src/fetch/quota-estimate.js';
import { collect, fakeClock, json, makeCall, makeSpec, startServer } from './helpers.js';

/** A Spring-style token bucket (as CloudConnexa's gateway): refill continuously, 429 bare when empty. */
function bucket(opts: { burst: number; rate: number; seconds: number; now: () => number }) {
  let tokens = opts.burst;
  let last = opts.now();
  const stats = { ok: 0, throttled: 0 };
  return {
    stats,
    take(): HttpResponse {
      const now = opts.now();
      tokens = Math.min(opts.burst, tokens + ((now - last) / 1000) * (opts.rate / opts.seconds));
      last = now;
      if (tokens < 1) {
        stats.throttled++;
        return { status: 429, headers: {}, body: '' };
      }
      tokens -= 1;
      stats.ok++;
      const headers = {
        'x-ratelimit-remaining': String(Math.floor(tokens)),
        'x-ratelimit-replenish-rate': String(opts.rate),
        'x-ratelimit-replenish-time': String(opts.seconds),
        'x-ratelimit-burst-capacity': String(opts.burst),
      };
      return { status: 200, headers, body: '[{"n":1}]' };
    },
  };
}

const rateSpec = { rateLimit: { kind: 'x-ratelimit', bare429WaitSeconds: 60 }, maxRetries: 5 };

function pacedClient(concurrency: number, latencyMs = 0) {
  const clock = fakeClock();
  // Responses in flight arrive before a sleep moves the clock on (sub-ms latency against 1 s waits).
  const sleep = async (ms: number) => {
    await new Promise((r) => setImmediate(r));
    await clock.sleep(ms);
  };
  const server = bucket({ burst: 20, rate: 1, seconds: 1, now: clock.now });
  let inFlight = 0;
  let maxInFlight = 0;
  const http: HttpPort = {
    async request() {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const res = server.take();
      // The response arrives a macrotask later, so concurrent requests overlap.
      await new Promise((r) => setImmediate(r));
      if (latencyMs) clock.t += latencyMs;
      inFlight--;
      return res;
    },
  };
  const client = createProviderClient({
    spec: makeSpec(rateSpec),
    config: { baseUrl: 'https://api.example.com' },
    http,
    sleep,
    now: clock.now,
    concurrency,
  });
  return { client, clock, server, max: () => maxInFlight };
}

/** A client behind the bucket on a fake clock, its n-th answered page (1-based) built by `body`. */
function pagedClient(b: { burst: number; rate: number; seconds: number }, body: (page: number) => unknown, onEvent?: (e: FetchEvent) => void) {
  const clock = fakeClock();
  const server = bucket({ ...b, now: clock.now });
  let page = 0;
  const http: HttpPort = {
    async request() {
      const res = server.take();
      return res.status !== 200 ? res : { ...res, body: JSON.stringify(body(++page)) };
    },
  };
  const client = createProviderClient({
    spec: makeSpec(rateSpec),
    config: { baseUrl: 'https://api.example.com' },
    http,
    sleep: clock.sleep,
    now: clock.now,
    onEvent,
  });
  return { client, clock };
}

describe('pacer (x-ratelimit mirror)', () => {
  it('30 sequential requests, burst 20, 1 token/s: zero 429s in about 10 s', async () => {
    const { client, clock, server } = pacedClient(4);
    for (let i = 0; i < 30; i++) await collect(client, makeCall());
    expect(server.stats).toEqual({ ok: 30, throttled: 0 });
    expect(clock.elapsed()).toBeGreaterThanOrEqual(10_000);
    expect(clock.elapsed()).toBeLessThanOrEqual(10_500);
  });

  it('30 concurrent calls (4 in flight), burst 20, 1 token/s: zero 429s in about 10 s', async () => {
    const { client, clock, server, max } = pacedClient(4);
    await Promise.all(Array.from({ length: 30 }, () => collect(client, makeCall())));
    expect(server.stats).toEqual({ ok: 30, throttled: 0 });
    expect(max()).toBe(4);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(10_000);
    expect(clock.elapsed()).toBeLessThanOrEqual(10_500);
  });

  it('uses the whole burst before pacing (first 20 without waiting)', async () => {
    const { client, clock } = pacedClient(4);
    for (let i = 0; i < 20; i++) await collect(client, makeCall());
    expect(clock.elapsed()).toBe(0);
    expect(client.totals.throttled).toBe(0);
  });

  it('stays conservative with response latency (no 429s)', async () => {
    const { client, server } = pacedClient(1, 150);
    for (let i = 0; i < 30; i++) await collect(client, makeCall());
    expect(server.stats.throttled).toBe(0);
  });

  it('paces the pages of one cursor call the same way', async () => {
    const { client, clock } = pagedClient({ burst: 20, rate: 1, seconds: 1 }, (page) => ({
      sessions: [{ page }],
      ...(page < 30 ? { nextCursor: `c${page}` } : {}),
    }));
    const { stats } = await collect(client, makeCall({ rows: 'sessions', pagination: { kind: 'cursor', param: 'cursor', field: 'nextCursor' } }));
    expect(stats).toMatchObject({ pages: 30, rows: 30, throttled: 0, requests: 30 });
    expect(clock.elapsed()).toBeGreaterThanOrEqual(10_000);
    expect(clock.elapsed()).toBeLessThanOrEqual(10_500);
  });

  it('a page-numbered call under the bucket reports the pages it has left: the estimate counts down to nothing', async () => {
    const texts: Array<string | undefined> = [];
    const estimates = new QuotaEstimates();
    const { client } = pagedClient(
      { burst: 5, rate: 1, seconds: 15 },
      (page) => ({ content: [{ page }], totalPages: 12 }),
      (e) => {
        if (e.kind !== 'estimate') return;
        estimates.update(e);
        texts.push(estimates.text());
      },
    );
    const { stats } = await collect(
      client,
      makeCall({
        rows: 'content',
        pagination: { kind: 'page', pageParam: 'page', sizeParam: 'size', size: 1, firstPage: 0, totalPagesField: 'totalPages' },
      }),
    );
    expect(stats).toMatchObject({ pages: 12, throttled: 0 });
    // after page 1: 11 pages left, 4 tokens in hand: 7 more replenish periods of 15 s
    expect(texts[0]).toBe('~1 m 45 s left at 1 request / 15 s');
    expect(texts).toContain('~15 s left at 1 request / 15 s');
    expect(texts.at(-1)).toBeUndefined();
  });

  it('after a 429 every sender waits until the bucket has a token, then goes on', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ mirror: true, now: clock.now, sleep: clock.sleep, emit: () => {} });
    const t = await pacer.acquire();
    pacer.observe(t, { 'x-ratelimit-remaining': '10', 'x-ratelimit-replenish-rate': '1', 'x-ratelimit-replenish-time': '15' });
    pacer.throttled();
    await pacer.acquire();
    expect(clock.waits).toEqual([15_000]);
  });

  it('an absurd replenish period never stalls a request for more than the cap (issue 9: nothing unbounded)', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ mirror: true, now: clock.now, sleep: clock.sleep, emit: () => {} });
    const t = await pacer.acquire();
    pacer.observe(t, { 'x-ratelimit-remaining': '0', 'x-ratelimit-replenish-rate': '1', 'x-ratelimit-replenish-time': '86400' });
    await pacer.acquire();
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBe(60_000);
  });

  it('holds every sender until an explicit Retry-After passes', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ mirror: false, now: clock.now, sleep: clock.sleep, emit: () => {} });
    pacer.throttled(clock.t + 5000);
    await Promise.all([pacer.acquire(), pacer.acquire()]);
    expect(clock.waits).toEqual([5000]);
  });

  it.each([
    ['missing headers', {}],
    ['non-integer values', { 'x-ratelimit-remaining': 'lots', 'x-ratelimit-replenish-rate': '1', 'x-ratelimit-replenish-time': '15 seconds' }],
    ['zero rate', { 'x-ratelimit-remaining': '0', 'x-ratelimit-replenish-rate': '0' }],
    ['negative', { 'x-ratelimit-remaining': '-3', 'x-ratelimit-replenish-rate': '-1' }],
  ])('never fails or stalls a request because of %s', async (_n, headers) => {
    const server = await startServer((_q, res) => json(res, 200, [1], headers as Record<string, string>));
    const clock = fakeClock();
    const client = createProviderClient({ spec: makeSpec(rateSpec), config: { baseUrl: server.url }, sleep: clock.sleep, now: clock.now });
    for (let i = 0; i < 3; i++) await collect(client, makeCall());
    expect(clock.elapsed()).toBe(0);
  });

  it.each([
    ['3', 3],
    [' 15 ', 15],
    ['1.5', 1.5],
    ['15 seconds', undefined],
    ['-1', undefined],
    [undefined, undefined],
    ['', undefined],
  ])('numericHeader(%j) = %j', (v, want) => expect(numericHeader(v)).toBe(want));
});

/** A discrete-event loop on the fake clock: sleeps and network delays are timers fired in time order. */
function eventLoop(clock: ReturnType<typeof fakeClock>) {
  const timers: Array<{ at: number; fire: () => void }> = [];
  const wait = (ms: number) => new Promise<void>((fire) => timers.push({ at: clock.t + ms, fire }));
  async function run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const tracked = work.finally(() => (done = true));
    while (!done) {
      for (let i = 0; i < 20 && !done; i++) await new Promise((r) => setImmediate(r));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) continue;
      clock.t = Math.max(clock.t, next.at);
      next.fire();
    }
    return tracked;
  }
  return { wait, run };
}

describe('pacer with network delay and jitter (simulated time)', () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it.each([
    // concurrency, round trip ms, replenish rate, replenish seconds, requests
    [4, 0, 1, 1, 30],
    [4, 50, 1, 1, 60],
    [4, 200, 10, 1, 200],
    [8, 30, 1, 15, 30],
    [2, 100, 5, 1, 100],
    [4, 100, 10, 1, 300],
    [4, 300, 2, 1, 200],
    [1, 100, 1, 1, 60],
  ])('concurrency %i, RTT %i ms, %i token(s) per %i s, %i requests: zero 429s, near the ideal time', async (concurrency, rtt, rate, seconds, n) => {
    const clock = fakeClock();
    const loop = eventLoop(clock);
    const server = bucket({ burst: 20, rate, seconds, now: clock.now });
    const http: HttpPort = {
      async request() {
        await loop.wait((rtt / 2) * (0.5 + random())); // each leg ±50 %
        const res = server.take();
        await loop.wait((rtt / 2) * (0.5 + random()));
        return res;
      },
    };
    const client = createProviderClient({
      spec: makeSpec(rateSpec),
      config: { baseUrl: 'https://api.example.com' },
      http,
      sleep: loop.wait,
      now: clock.now,
      concurrency,
    });
    await loop.run(Promise.all(Array.from({ length: n }, () => collect(client, makeCall()))));
    const ideal = ((n - 20) * seconds * 1000) / rate;
    expect(server.stats.throttled).toBe(0);
    expect(clock.elapsed()).toBeLessThanOrEqual(ideal * 1.05 + 2 * rtt);
  });
});

describe('pacer against a real loopback server', () => {
  it('15 requests, burst 5, 20 tokens/s: zero 429s in about half a second', async () => {
    const realNow = () => Date.now();
    const b = bucket({ burst: 5, rate: 20, seconds: 1, now: realNow });
    const server = await startServer((_q, res) => {
      const r = b.take();
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    });
    const client = createProviderClient({ spec: makeSpec(rateSpec), config: { baseUrl: server.url }, concurrency: 3 });
    const start = Date.now();
    await Promise.all(Array.from({ length: 15 }, () => collect(client, makeCall())));
    const elapsed = Date.now() - start;
    expect(b.stats.throttled).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2000);
  });
});
