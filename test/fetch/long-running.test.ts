import { describe, expect, it } from 'vitest';
import type { Seen } from './helpers.js';
import { collect, json, makeCall, makeClient, rejectionOf, startServer } from './helpers.js';
import type http from 'node:http';

const lroCall = (extra = {}) =>
  makeCall({
    request: { method: 'POST', path: '/hosts/b1/getActiveSessions', query: { 'api-version': '2025-07-01' } },
    rows: 'value',
    pagination: { kind: 'nextLink', field: 'nextLink' },
    longRunning: 'azure-async',
    ...extra,
  });

describe('long-running operations (azure-async)', async () => {
  const server = await startServer();

  it('polls Location while it answers 202, honouring Retry-After; the 200 is page 1, then nextLink pages', async () => {
    let polls = 0;
    server.handle((q: Seen, res: http.ServerResponse) => {
      if (q.path === '/hosts/b1/getActiveSessions')
        return json(res, 202, undefined, { location: `${server.url}/ops/1?api-version=2025-07-01`, 'retry-after': '10' });
      if (q.path === '/ops/1') {
        if (++polls < 3) return json(res, 202, undefined, { 'retry-after': String(polls * 5) });
        return json(res, 200, { value: [{ s: 1 }], nextLink: `${server.url}/ops/1/page2` });
      }
      if (q.path === '/ops/1/page2') return json(res, 200, { value: [{ s: 2 }] });
      json(res, 404, {});
    });
    const { client, clock, events } = makeClient(server);
    const before = server.seen.length;
    const { pages, stats } = await collect(client, lroCall());
    expect(pages).toEqual([[{ s: 1 }], [{ s: 2 }]]);
    expect(clock.waits).toEqual([10_000, 5_000, 10_000]);
    expect(stats).toMatchObject({ polls: 3, pages: 2, requests: 5 });
    expect(events.filter((e) => e.kind === 'lro-poll')).toHaveLength(3);
    const initial = server.seen[before];
    expect(initial.method).toBe('POST');
    expect(initial.body).toBe('');
  });

  it('with Azure-AsyncOperation polls the status until Succeeded, then GETs Location for the result', async () => {
    let status = 0;
    server.handle((q, res) => {
      if (q.path === '/hosts/b1/getActiveSessions')
        return json(res, 202, undefined, { 'azure-asyncoperation': `${server.url}/async/1`, location: `${server.url}/result/1`, 'retry-after': '3' });
      if (q.path === '/async/1') return json(res, 200, { status: ++status < 2 ? 'InProgress' : 'Succeeded' }, { 'retry-after': '4' });
      if (q.path === '/result/1') return json(res, 200, { value: [{ s: 'done' }] });
      json(res, 404, {});
    });
    const { client, clock } = makeClient(server);
    const before = server.seen.length;
    const { rows, stats } = await collect(client, lroCall());
    expect(rows).toEqual([{ s: 'done' }]);
    expect(clock.waits).toEqual([3000, 4000]);
    expect(server.seen.slice(before).map((s) => s.path)).toEqual(['/hosts/b1/getActiveSessions', '/async/1', '/async/1', '/result/1']);
    expect(stats.polls).toBe(3);
  });

  it.each([
    ['Failed', /long-running operation failed: the bastion is busy/],
    ['Canceled', /was canceled/],
  ])('status %s is OPERATION_FAILED with the error code and message', async (terminal, message) => {
    server.handle((q, res) => {
      if (q.path === '/hosts/b1/getActiveSessions')
        return json(res, 202, undefined, { 'azure-asyncoperation': `${server.url}/async/2`, location: `${server.url}/r` });
      json(res, 200, { status: terminal, error: { code: 'BastionBusy', message: 'the bastion is busy' } });
    });
    const { client } = makeClient(server, { lroPollCapMs: 5 });
    const err = await rejectionOf(collect(client, lroCall()));
    expect(err.code).toBe('OPERATION_FAILED');
    expect(err.message).toMatch(message);
    expect(err.details).toEqual({ apiCode: 'BastionBusy' });
  });

  it('a 200 to the initial request needs no polling', async () => {
    server.handle((_q, res) => json(res, 200, { value: [{ s: 0 }] }));
    const { client, clock } = makeClient(server);
    const { rows, stats } = await collect(client, lroCall());
    expect(rows).toEqual([{ s: 0 }]);
    expect(stats.polls).toBe(0);
    expect(clock.waits).toEqual([]);
  });

  it('waits 60 s by default (capped by lroPollCapMs) when Retry-After is absent', async () => {
    let n = 0;
    server.handle((q, res) => {
      if (q.path === '/hosts/b1/getActiveSessions') return json(res, 202, undefined, { location: `${server.url}/op` });
      return ++n < 2 ? json(res, 202, undefined) : json(res, 200, { value: [] });
    });
    const a = makeClient(server);
    await collect(a.client, lroCall());
    expect(a.clock.waits).toEqual([60_000, 60_000]);
    n = 0;
    const b = makeClient(server, { lroPollCapMs: 2000 });
    await collect(b.client, lroCall());
    expect(b.clock.waits).toEqual([2000, 2000]);
  });

  it('keeps the last Retry-After for a poll answer that has none', async () => {
    let n = 0;
    server.handle((q, res) => {
      if (q.path === '/hosts/b1/getActiveSessions') return json(res, 202, undefined, { location: `${server.url}/op`, 'retry-after': '3' });
      return ++n < 3 ? json(res, 202, undefined) : json(res, 200, { value: [] });
    });
    const { client, clock } = makeClient(server);
    await collect(client, lroCall());
    expect(clock.waits).toEqual([3000, 3000, 3000]);
  });

  it('gives up with TIMEOUT after lroTimeoutMs', async () => {
    server.handle((_q, res) => json(res, 202, undefined, { location: `${server.url}/forever`, 'retry-after': '10' }));
    const { client, clock } = makeClient(server, { lroTimeoutMs: 35_000 });
    const err = await rejectionOf(collect(client, lroCall()));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/did not finish within 35 s/);
    expect(clock.elapsed()).toBeLessThanOrEqual(35_000);
    expect(client.totals.polls).toBe(3);
  });

  it.each([
    ['location', 'https://elsewhere.example.com/op'],
    ['azure-asyncoperation', 'https://elsewhere.example.com/async'],
  ])('a %s on another origin is MALFORMED_RESPONSE', async (header, url) => {
    server.handle((_q, res) => json(res, 202, undefined, { [header]: url }));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, lroCall()));
    expect(err.code).toBe('MALFORMED_RESPONSE');
    expect(err.message).toContain('another origin');
    expect(client.totals.requests).toBe(1);
  });

  it('a 202 without Location or Azure-AsyncOperation is MALFORMED_RESPONSE', async () => {
    server.handle((_q, res) => json(res, 202, undefined));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, lroCall()));
    expect(err.code).toBe('MALFORMED_RESPONSE');
    expect(err.message).toMatch(/without a Location/);
  });

  it('a 202 for a resource that is not long-running is MALFORMED_RESPONSE saying so', async () => {
    server.handle((_q, res) => json(res, 202, undefined, { location: `${server.url}/op` }));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, lroCall({ longRunning: undefined })));
    expect(err.code).toBe('MALFORMED_RESPONSE');
    expect(err.message).toMatch(/202 Accepted .* does not declare longRunning/);
  });

  it('a poll that fails maps like any request (404 on the Location)', async () => {
    server.handle((q, res) => {
      if (q.path === '/hosts/b1/getActiveSessions') return json(res, 202, undefined, { location: `${server.url}/gone`, 'retry-after': '1' });
      json(res, 404, { error: { code: 'NotFound', message: 'operation not found' } });
    });
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, lroCall()));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('/gone');
  });
});
