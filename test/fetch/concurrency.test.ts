import { describe, expect, it } from 'vitest';
import { collect, json, makeCall, makeClient, startServer } from './helpers.js';
import type http from 'node:http';

describe('concurrency bound', async () => {
  const server = await startServer();

  it.each([1, 3])('keeps at most %i requests in flight across concurrent calls', async (limit) => {
    let inFlight = 0;
    let max = 0;
    server.handle(async (_q, res) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
      json(res, 200, [1]);
    });
    const { client } = makeClient(server, { concurrency: limit });
    await Promise.all(Array.from({ length: 8 }, () => collect(client, makeCall())));
    expect(max).toBe(limit);
    expect(client.totals.requests).toBe(8);
  });

  it('defaults to spec.concurrency', async () => {
    let inFlight = 0;
    let max = 0;
    server.handle(async (_q, res) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
      json(res, 200, [1]);
    });
    const { client } = makeClient(server, { specExtra: { concurrency: 2 } });
    await Promise.all(Array.from({ length: 6 }, () => collect(client, makeCall())));
    expect(max).toBe(2);
  });

  it('does not hold a slot while an operation waits to poll (concurrency 1)', async () => {
    let releaseSleep!: () => void;
    const sleeping = new Promise<void>((r) => (releaseSleep = r));
    let sleepStarted!: () => void;
    const started = new Promise<void>((r) => (sleepStarted = r));
    server.handle((q, res: http.ServerResponse) => {
      if (q.path === '/op') return json(res, 202, undefined, { location: `${server.url}/op/result`, 'retry-after': '1' });
      if (q.path === '/op/result') return json(res, 200, { value: [{ done: true }] });
      json(res, 200, [{ other: true }]);
    });
    const sleep = async () => {
      sleepStarted();
      await sleeping;
    };
    const { client } = makeClient(server, { concurrency: 1, sleep });
    const lro = collect(client, makeCall({ request: { method: 'POST', path: '/op', query: {} }, rows: 'value', longRunning: 'azure-async' }));
    await started;
    const other = await collect(client, makeCall({ request: { method: 'GET', path: '/other', query: {} } }));
    expect(other.rows).toEqual([{ other: true }]);
    releaseSleep();
    expect((await lro).rows).toEqual([{ done: true }]);
  });

  it('does not hold a slot during a retry wait (concurrency 1)', async () => {
    let releaseSleep!: () => void;
    const sleeping = new Promise<void>((r) => (releaseSleep = r));
    let sleepStarted!: () => void;
    const started = new Promise<void>((r) => (sleepStarted = r));
    let first = true;
    server.handle((q, res) => {
      if (q.path === '/flaky' && first) {
        first = false;
        return json(res, 503, { message: 'busy' });
      }
      json(res, 200, [{ path: q.path }]);
    });
    const { client } = makeClient(server, {
      concurrency: 1,
      sleep: async () => {
        sleepStarted();
        await sleeping;
      },
    });
    const flaky = collect(client, makeCall({ request: { method: 'GET', path: '/flaky', query: {} } }));
    await started;
    expect((await collect(client, makeCall({ request: { method: 'GET', path: '/ok', query: {} } }))).rows).toEqual([{ path: '/ok' }]);
    releaseSleep();
    expect((await flaky).rows).toEqual([{ path: '/flaky' }]);
  });
});
