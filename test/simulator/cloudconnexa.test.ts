// Behaviour tests of the CloudConnexa simulator against api-facts.md section A, over real HTTP with
// plain fetch. The clock is always injected, so nothing here depends on wall-clock time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startCloudConnexaSimulator,
  type CloudConnexaSimOptions,
  type CloudConnexaSimulator,
  type SessionResponse,
} from '../../src/simulator/cloudconnexa/index.js';

const T0 = Date.parse('2025-06-02T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

interface Clock {
  t: number;
  now: () => number;
}
function clock(t = T0): Clock {
  const c: Clock = { t, now: () => c.t };
  return c;
}

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenFor(sim: CloudConnexaSimulator): Promise<string> {
  const q = new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, grant_type: 'client_credentials' });
  const res = await fetch(`${sim.url}/api/v1/oauth/token?${q}`, { method: 'POST' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function api(sim: CloudConnexaSimulator, token: string) {
  return async (path: string, query: Record<string, string | number | boolean> = {}) => {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const res = await fetch(`${sim.url}${path}${q.size ? `?${q}` : ''}`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { res, status: res.status, text, body: text ? (JSON.parse(text) as any) : undefined };
  };
}

/** Reference model of the created-or-updated rule, from the API objects themselves. */
function updatedAt(s: SessionResponse): number {
  return s.sessionEndTime ? Date.parse(s.sessionEndTime) : Date.parse(s.sessionStartTime) + s.sessionDurationSeconds * 1000;
}
function expectedIds(sim: CloudConnexaSimulator, start: number, end: number, onlyNew = false, status?: string): string[] {
  return sim.data.sessions
    .filter((s) => {
      const c = Date.parse(s.sessionStartTime);
      const u = updatedAt(s);
      const inWin = (t: number) => t >= start && t < end;
      return (inWin(c) || (!onlyNew && inWin(u))) && (!status || s.status === status);
    })
    .map((s) => s.id);
}

async function walk(get: ReturnType<typeof api>, path: string, query: Record<string, string | number | boolean>) {
  const ids: string[] = [];
  const pages: any[] = [];
  let cursor: string | undefined;
  do {
    const r = await get(path, { ...query, ...(cursor ? { cursor } : {}) });
    expect(r.status).toBe(200);
    pages.push(r.body);
    ids.push(...r.body.sessions.map((s: SessionResponse) => s.id));
    cursor = r.body.nextCursor;
    if (cursor !== undefined) expect(cursor).toMatch(/^[0-9a-f]{24}$/);
  } while (cursor !== undefined);
  return { ids, pages };
}

describe('CloudConnexa simulator', () => {
  const c = clock();
  let sim: CloudConnexaSimulator;
  let token: string;
  let get: ReturnType<typeof api>;

  beforeAll(async () => {
    sim = await startCloudConnexaSimulator({ sessions: 1500, historyDays: 30, users: 250, now: c.now });
    token = await tokenFor(sim);
    get = api(sim, token);
  });
  afterAll(() => sim.close());

  describe('OAuth token (A.2)', () => {
    it('accepts credentials in the query string, and logs them redacted', async () => {
      sim.resetLog();
      const q = new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, grant_type: 'client_credentials' });
      const res = await fetch(`${sim.url}/api/v1/oauth/token?${q}`, { method: 'POST' });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 43199, scope: 'read write' });
      expect(typeof body.access_token).toBe('string');
      expect(sim.requests).toHaveLength(1);
      expect(sim.requests[0]).toMatchObject({ method: 'POST', path: '/api/v1/oauth/token', status: 200, auth: 'query', at: c.t });
      expect(JSON.stringify(sim.requests)).not.toContain(sim.clientSecret);
    });

    it('accepts HTTP Basic with no body (beta script style)', async () => {
      const res = await fetch(`${sim.url}/api/beta/oauth/token`, {
        method: 'POST',
        headers: { Authorization: basic(sim.clientId, sim.clientSecret) },
      });
      expect(res.status).toBe(200);
      expect(sim.requests.at(-1)?.auth).toBe('basic');
    });

    it('accepts HTTP Basic plus a JSON body, with or without Content-Type (Go client style)', async () => {
      const payload = JSON.stringify({ grant_type: 'client_credentials', scope: 'default' });
      const noType = await fetch(`${sim.url}/api/v1/oauth/token`, {
        method: 'POST',
        headers: { Authorization: basic(sim.clientId, sim.clientSecret), Accept: 'application/json' },
        body: new TextEncoder().encode(payload), // a byte body: fetch adds no Content-Type
      });
      expect(noType.status).toBe(200);
      const typed = await fetch(`${sim.url}/api/v1/oauth/token`, {
        method: 'POST',
        headers: { Authorization: basic(sim.clientId, sim.clientSecret), 'Content-Type': 'application/json' },
        body: payload,
      });
      expect(typed.status).toBe(200);
      const tokens = [await noType.json(), await typed.json()].map((b) => b.access_token);
      expect(tokens[0]).not.toBe(tokens[1]);
    });

    it('rejects bad credentials with 401 ErrorResponse, a wrong grant with 400, GET with 405', async () => {
      const bad = await fetch(`${sim.url}/api/v1/oauth/token`, { method: 'POST', headers: { Authorization: basic(sim.clientId, 'nope') } });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toMatchObject({ errorDetails: {}, statusError: 'UNAUTHORIZED' });
      const none = await fetch(`${sim.url}/api/v1/oauth/token`, { method: 'POST' });
      expect(none.status).toBe(401);
      const q = new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, grant_type: 'password' });
      expect((await fetch(`${sim.url}/api/v1/oauth/token?${q}`, { method: 'POST' })).status).toBe(400);
      expect((await fetch(`${sim.url}/api/v1/oauth/token`)).status).toBe(405);
    });
  });

  describe('bearer auth', () => {
    it('answers 401 with an ErrorResponse without, or with an unknown, bearer token', async () => {
      const none = await fetch(`${sim.url}/api/v1/regions`);
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ statusError: 'UNAUTHORIZED', errorMessage: expect.any(String) });
      expect((await api(sim, 'forged')('/api/v1/regions')).status).toBe(401);
      expect(sim.requests.at(-1)).toMatchObject({ auth: 'bearer', status: 401 });
    });

    it('expires tokens by the injected clock and revokes them on demand', async () => {
      const c2 = clock();
      const s2 = await startCloudConnexaSimulator({ sessions: 10, now: c2.now, tokenTtlSeconds: 60 });
      try {
        const t = await tokenFor(s2);
        expect((await api(s2, t)('/api/v1/regions')).status).toBe(200);
        c2.t += 60_000;
        expect((await api(s2, t)('/api/v1/regions')).status).toBe(401);
        const t2 = await tokenFor(s2);
        expect((await api(s2, t2)('/api/v1/regions')).status).toBe(200);
        s2.revokeTokens();
        expect((await api(s2, t2)('/api/v1/regions')).status).toBe(401);
        expect((await api(s2, await tokenFor(s2))('/api/v1/regions')).status).toBe(200);
      } finally {
        await s2.close();
      }
    });
  });

  describe('GET /api/v1/sessions (A.3)', () => {
    it.each([
      [{}, 'NotNull'],
      [{ size: 0 }, 'Min'],
      [{ size: 101 }, 'Max'],
      [{ size: 'ten' }, 'TypeMismatch'],
    ])('rejects size %o with a 400 ErrorResponse (%s)', async (query, code) => {
      const r = await get('/api/v1/sessions', query);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ statusError: 'BAD_REQUEST', errorMessage: expect.any(String) });
      expect(r.body.errorDetails.size[0]).toMatchObject({ errorCode: code, message: expect.any(String), params: expect.any(Object) });
    });

    it.each([
      [{ startDate: '2025-06-01' }],
      [{ startDate: 'yesterday' }],
      [{ endDate: '2025-02-30T00:00:00Z' }],
      [{ status: 'RUNNING' }],
      [{ returnOnlyNew: 'maybe' }],
      [{ cursor: 'ffffffffffffffffffffffff' }],
      [{ cursor: 'not-a-cursor' }],
    ])('rejects %o with 400', async (query) => {
      const r = await get('/api/v1/sessions', { size: 10, ...query });
      expect(r.status).toBe(400);
      expect(Object.keys(r.body.errorDetails)).toEqual([Object.keys(query)[0]]);
    });

    it('walks every matching session exactly once by cursor; nextCursor is absent on the last page', async () => {
      const start = T0 - 20 * DAY;
      const { ids, pages } = await walk(get, '/api/v1/sessions', { size: 100, startDate: iso(start) });
      const expected = expectedIds(sim, start, Infinity);
      expect(expected.length).toBeGreaterThan(300);
      expect(ids).toEqual(expected); // same set, same stable order (created time, then id)
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages.length).toBe(Math.ceil(expected.length / 100));
      expect('nextCursor' in pages.at(-1)).toBe(false);
      for (const p of pages.slice(0, -1)) expect(p.sessions).toHaveLength(100);
    });

    it('keeps status and returnOnlyNew filters across cursor pages', async () => {
      const start = T0 - 10 * DAY;
      const end = T0 - 2 * DAY;
      const q = { size: 7, startDate: iso(start), endDate: iso(end), status: 'COMPLETED' };
      expect((await walk(get, '/api/v1/sessions', q)).ids).toEqual(expectedIds(sim, start, end, false, 'COMPLETED'));
      const qn = { size: 9, startDate: iso(start), endDate: iso(end), returnOnlyNew: true };
      expect((await walk(get, '/api/v1/sessions', qn)).ids).toEqual(expectedIds(sim, start, end, true));
    });

    it('returnOnlyNew=true filters on creation only; false also returns sessions updated in the window', async () => {
      const start = T0 - 3 * DAY;
      const end = T0; // ACTIVE sessions' heartbeats fall in the last minutes before T0
      const all = (await walk(get, '/api/v1/sessions', { size: 100, startDate: iso(start), endDate: iso(end) })).ids;
      const onlyNew = (await walk(get, '/api/v1/sessions', { size: 100, startDate: iso(start), endDate: iso(end), returnOnlyNew: true })).ids;
      expect(all).toEqual(expectedIds(sim, start, end));
      expect(all.length).toBeGreaterThan(onlyNew.length + 100);
      expect(onlyNew.every((id) => all.includes(id))).toBe(true);
      const created = sim.data.sessions.filter((s) => {
        const t = Date.parse(s.sessionStartTime);
        return t >= start && t < end;
      });
      expect(onlyNew).toEqual(created.map((s) => s.id));
    });

    it('treats startDate as inclusive and endDate as exclusive, on created and on updated time', async () => {
      const s = sim.data.sessions.find(
        (x) => x.status === 'COMPLETED' && x.sessionDurationSeconds > 5 && Date.parse(x.sessionStartTime) < T0 - 2 * DAY,
      )!;
      const created = Date.parse(s.sessionStartTime);
      const ended = Date.parse(s.sessionEndTime!);
      const has = async (start: number, end: number, extra: Record<string, string | boolean> = {}) => {
        const { ids } = await walk(get, '/api/v1/sessions', { size: 100, startDate: iso(start), endDate: iso(end), ...extra });
        return ids.includes(s.id);
      };
      expect(await has(created, created + 1)).toBe(true); // created == startDate: inclusive
      expect(await has(created - 1000, created)).toBe(false); // created == endDate: exclusive
      expect(await has(ended, ended + 1)).toBe(true); // updated == startDate, created before: "or updated"
      expect(await has(ended, ended + 1, { returnOnlyNew: true })).toBe(false);
      expect(await has(created + 1, ended)).toBe(false); // updated == endDate: exclusive
    });

    it('returns {"sessions":[]} (no error) when startDate >= endDate', async () => {
      for (const end of [T0 - DAY, T0 - 2 * DAY]) {
        const r = await get('/api/v1/sessions', { size: 10, startDate: iso(T0 - DAY), endDate: iso(end) });
        expect(r.status).toBe(200);
        expect(r.text).toBe('{"sessions":[]}');
      }
    });

    it('defaults startDate to now - 1 day and follows the clock', async () => {
      const { ids } = await walk(get, '/api/v1/sessions', { size: 100 });
      expect(ids).toEqual(expectedIds(sim, T0 - DAY, Infinity));
      c.t = T0 + DAY / 4; // (the token lives 43199 s, so stay within that)
      try {
        const later = (await walk(get, '/api/v1/sessions', { size: 100 })).ids;
        expect(later).toEqual(expectedIds(sim, T0 - (3 * DAY) / 4, Infinity));
        expect(later.length).toBeLessThan(ids.length);
      } finally {
        c.t = T0;
      }
    });

    it('limits history to 30 days on v1 and 7 days on beta, with a 400 ErrorResponse', async () => {
      const v1Old = await get('/api/v1/sessions', { size: 1, startDate: iso(T0 - 30 * DAY - 1000) });
      expect(v1Old.status).toBe(400);
      expect(v1Old.body).toMatchObject({ statusError: 'BAD_REQUEST', errorMessage: expect.stringContaining('30 days') });
      expect(v1Old.body.errorDetails.startDate).toHaveLength(1);
      expect((await get('/api/v1/sessions', { size: 1, startDate: iso(T0 - 30 * DAY) })).status).toBe(200);
      const betaOld = await get('/api/beta/sessions', { size: 1, startDate: iso(T0 - 8 * DAY) });
      expect(betaOld.status).toBe(400);
      expect(betaOld.body.errorMessage).toContain('7 days');
      const beta = await get('/api/beta/sessions', { size: 5, startDate: iso(T0 - 6 * DAY) });
      expect(beta.status).toBe(200);
      expect(beta.body.sessions).toHaveLength(5);
    });

    it('serves SessionResponse objects with the documented fields and realistic values', async () => {
      const all = sim.data.sessions;
      const active = all.filter((s) => s.status === 'ACTIVE');
      const failed = all.filter((s) => s.status === 'FAILED');
      expect(active.length / all.length).toBeGreaterThan(0.1);
      expect(active.length / all.length).toBeLessThan(0.2);
      expect(failed.length / all.length).toBeGreaterThan(0.06);
      expect(failed.length / all.length).toBeLessThan(0.14);
      expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
      for (const s of active) {
        expect(s).not.toHaveProperty('sessionEndTime');
        expect(s).not.toHaveProperty('disconnectReason');
      }
      const users = new Set(sim.data.users.map((u) => u.id));
      const devices = new Map(sim.data.devices.map((d) => [d.id, d]));
      const regions = new Set(sim.data.regions.map((r) => r.id));
      const connectors = new Set([...sim.data.networkConnectors, ...sim.data.hostConnectors].map((x) => x.id));
      const networks = new Set(sim.data.networks.map((n) => n.id));
      const hosts = new Set(sim.data.hosts.map((h) => h.id));
      for (const s of all) {
        expect(s.sessionStartTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(Number.isInteger(s.bytesIn) && Number.isInteger(s.bytesOut) && Number.isInteger(s.sessionDurationSeconds)).toBe(true);
        expect(regions.has(s.region)).toBe(true);
        expect(s.publicIp).toMatch(/^(203\.0\.113|198\.51\.100|192\.0\.2)\.\d+$/);
        expect(s.tunnelIpV4).toMatch(/^100\.96\.\d+\.\d+$/);
        if (s.userId) {
          expect(users.has(s.userId)).toBe(true);
          expect(devices.get(s.deviceId!)?.userId).toBe(s.userId);
          expect(s.email).toMatch(/@example\.com$/);
          expect(s.primaryGroupName).toBe(s.userGroup);
          expect(Array.isArray(s.secondaryGroupNames)).toBe(true);
        } else {
          expect(connectors.has(s.connectorId!)).toBe(true);
          expect(s.connectorName).toBeTruthy();
          expect(s.networkId ? networks.has(s.networkId) : hosts.has(s.hostId!)).toBe(true);
        }
        if (s.sessionEndTime) {
          expect(Date.parse(s.sessionEndTime)).toBeGreaterThanOrEqual(Date.parse(s.sessionStartTime));
          expect(Date.parse(s.sessionEndTime)).toBeLessThanOrEqual(T0);
        }
      }
      expect(all.some((s) => s.hostName && s.connectorName)).toBe(true);
      expect(new Set(all.map((s) => s.protocol))).toEqual(new Set(['UDP', 'TCP']));
      const page = await get('/api/v1/sessions', { size: 3, startDate: iso(T0 - 30 * DAY) });
      expect(page.body.sessions).toEqual(all.slice(0, 3));
    });
  });

  describe('paged lists (A.4)', () => {
    it('uses 0-based pages and the {content,totalElements,totalPages,numberOfElements,page,size} envelope', async () => {
      const p0 = await get('/api/v1/users', { page: 0, size: 100 });
      expect(Object.keys(p0.body).sort()).toEqual(['content', 'numberOfElements', 'page', 'size', 'totalElements', 'totalPages']);
      expect(p0.body).toMatchObject({ totalElements: 250, totalPages: 3, numberOfElements: 100, page: 0, size: 100 });
      expect(p0.body.content[0]).toEqual(sim.data.users[0]);
      const p2 = await get('/api/v1/users', { page: 2, size: 100 });
      expect(p2.body).toMatchObject({ numberOfElements: 50, page: 2 });
      expect(p2.body.content[49]).toEqual(sim.data.users[249]);
      const p3 = await get('/api/v1/users', { page: 3, size: 100 });
      expect(p3.body).toMatchObject({ content: [], numberOfElements: 0, totalPages: 3 });
      const dflt = await get('/api/v1/users');
      expect(dflt.body).toMatchObject({ page: 0, size: 10, numberOfElements: 10 });
    });

    it.each([[{ size: 0 }], [{ size: 1001 }], [{ page: -1 }], [{ page: 'x' }]])('rejects %o with 400', async (q) => {
      const r = await get('/api/v1/user-groups', q);
      expect(r.status).toBe(400);
      expect(r.body.statusError).toBe('BAD_REQUEST');
    });

    it('serves devices (platform object, userId filter), groups, networks, hosts and connectors', async () => {
      const user = sim.data.users.find((u) => u.devices.length > 1)!;
      const devs = await get('/api/v1/devices', { userId: user.id, size: 1000 });
      expect(devs.body.content.map((d: any) => d.id)).toEqual(user.devices.map((d) => d.id));
      expect(devs.body.content[0].platform).toEqual({ os: expect.any(String), version: expect.any(String), clientVersion: expect.any(String) });
      expect((await get('/api/v1/devices', { userId: 'nobody' })).body.totalElements).toBe(0);
      expect((await get('/api/v1/user-groups', { size: 1000 })).body.content).toEqual(sim.data.userGroups);
      expect((await get('/api/v1/networks', { size: 1000 })).body.content).toEqual(sim.data.networks);
      expect((await get('/api/v1/hosts', { size: 1000 })).body.content).toEqual(sim.data.hosts);
      const net = sim.data.networks[0];
      const nc = await get('/api/v1/networks/connectors', { networkId: net.id });
      expect(nc.body.content).toEqual(net.connectors);
      expect(nc.body.content[0]).toMatchObject({ networkItemType: 'NETWORK', networkItemId: net.id });
      expect((await get('/api/v1/networks/connectors', { size: 1000 })).body.totalElements).toBe(sim.data.networkConnectors.length);
      const host = sim.data.hosts[1];
      const hc = await get('/api/v1/hosts/connectors', { hostId: host.id });
      expect(hc.body.content).toEqual(host.connectors);
      expect(hc.body.content[0].networkItemType).toBe('HOST');
      expect((await get(`/api/v1/users/${user.id}`)).body).toEqual(user);
      expect((await get('/api/v1/users/unknown')).status).toBe(404);
    });

    it('serves regions as a bare JSON array on v1 and beta', async () => {
      for (const v of ['v1', 'beta']) {
        const r = await get(`/api/${v}/regions`);
        expect(Array.isArray(r.body)).toBe(true);
        expect(r.body.length).toBeGreaterThanOrEqual(8);
        expect(r.body).toContainEqual({ id: 'eu-central-1', continent: 'Europe', country: 'Germany', countryIso: 'DE', regionName: 'Frankfurt' });
      }
    });
  });

  describe('routing and the request log', () => {
    it('answers unknown routes with 404 JSON and wrong methods with 405', async () => {
      const r = await get('/api/v1/nothing-here');
      expect(r.status).toBe(404);
      expect(r.body.statusError).toBe('NOT_FOUND');
      const post = await fetch(`${sim.url}/api/v1/sessions?size=1`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expect(post.status).toBe(405);
    });

    it('logs every request in order with method, path, query, status and auth kind', async () => {
      sim.resetLog();
      await get('/api/v1/regions');
      await get('/api/v1/sessions', { size: 0 });
      expect(sim.requests).toEqual([
        { method: 'GET', path: '/api/v1/regions', query: {}, status: 200, at: T0, auth: 'bearer' },
        { method: 'GET', path: '/api/v1/sessions', query: { size: '0' }, status: 400, at: T0, auth: 'bearer' },
      ]);
    });
  });
});

describe('rate limit (A.5)', () => {
  it('takes one token per API call, sends integer headers on 2xx, 429s with an empty body, refills in steps', async () => {
    const c = clock();
    const sim = await startCloudConnexaSimulator({ sessions: 20, now: c.now, rateLimit: { burst: 3, replenishRate: 1, replenishTimeSeconds: 15 } });
    try {
      const get = api(sim, await tokenFor(sim));
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await get('/api/v1/regions');
        expect(r.status).toBe(200);
        remaining.push(r.res.headers.get('x-ratelimit-remaining')!);
        expect(r.res.headers.get('x-ratelimit-replenish-rate')).toBe('1');
        expect(r.res.headers.get('x-ratelimit-replenish-time')).toBe('15');
        expect(r.res.headers.get('x-ratelimit-burst-capacity')).toBe('3');
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const limited = await get('/api/v1/regions');
      expect(limited.status).toBe(429);
      expect(limited.text).toBe('');
      expect(limited.res.headers.get('retry-after')).toBeNull();
      await tokenFor(sim); // the token endpoint is not rate limited
      c.t += 14_999;
      expect((await get('/api/v1/regions')).status).toBe(429);
      c.t += 1;
      const refilled = await get('/api/v1/regions');
      expect(refilled.status).toBe(200);
      expect(refilled.res.headers.get('x-ratelimit-remaining')).toBe('0');
      c.t += 10 * 15_000;
      expect((await get('/api/v1/regions')).res.headers.get('x-ratelimit-remaining')).toBe('2'); // capped at burst
      expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(2);
    } finally {
      await sim.close();
    }
  });

  it('rejects non-integer settings, because the headers must be bare integers', async () => {
    await expect(startCloudConnexaSimulator({ rateLimit: { burst: 20, replenishRate: 1, replenishTimeSeconds: 0.5 } })).rejects.toThrow(RangeError);
  });
});

describe('fault injection', () => {
  const c = clock();
  let sim: CloudConnexaSimulator;
  let get: ReturnType<typeof api>;
  let token: string;
  beforeAll(async () => {
    sim = await startCloudConnexaSimulator({ sessions: 50, now: c.now });
    token = await tokenFor(sim);
    get = api(sim, token);
  });
  afterAll(() => sim.close());

  it('answers the next matching request with the status, once by default', async () => {
    sim.injectFault({ path: '/api/v1/sessions', status: 503 });
    expect((await get('/api/v1/regions')).status).toBe(200); // other paths unaffected
    const r = await get('/api/v1/sessions', { size: 5 });
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ statusError: 'SERVICE_UNAVAILABLE' });
    expect((await get('/api/v1/sessions', { size: 5 })).status).toBe(200);
  });

  it('honours after and times, RegExp paths and extra headers; a 429 fault has an empty body', async () => {
    sim.injectFault({ path: /sessions$/, status: 429, after: 1, times: 2, headers: { 'X-Test': 'yes' } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await get('/api/v1/sessions', { size: 1 });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.text).toBe('');
        expect(r.res.headers.get('x-test')).toBe('yes');
      }
    }
    expect(statuses).toEqual([200, 429, 429, 200]);
  });

  it('can send malformed, truncated, empty and custom bodies', async () => {
    sim.injectFault({ status: 200, body: 'malformed' });
    const bad = await getRaw('/api/v1/sessions?size=1');
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.text)).toThrow();
    sim.injectFault({ status: 200, body: 'truncated' });
    expect((await get('/api/v1/sessions', { size: 1 })).body).toEqual({ foo: 1 });
    sim.injectFault({ status: 500, body: 'empty' });
    expect((await get('/api/v1/users')).text).toBe('');
    sim.injectFault({ status: 502, body: '<html>Bad Gateway</html>' });
    const html = await getRaw('/api/v1/users');
    expect(html.text).toBe('<html>Bad Gateway</html>');
    expect(html.res.headers.get('content-type')).toMatch(/text\/plain/);
  });

  it('delays answers (delay-only fault) so clients can time out', async () => {
    sim.injectFault({ path: '/api/v1/regions', status: 200, delayMs: 5_000 });
    const aborted = fetch(`${sim.url}/api/v1/regions`, { signal: AbortSignal.timeout(100) });
    await expect(aborted).rejects.toThrow();
    expect((await get('/api/v1/regions')).status).toBe(200);
  });

  async function getRaw(pathAndQuery: string) {
    const res = await fetch(`${sim.url}${pathAndQuery}`, { headers: { Authorization: `Bearer ${token}` } });
    return { res, status: res.status, text: await res.text() };
  }
});

describe('data generation', () => {
  const opts = (o: CloudConnexaSimOptions = {}): CloudConnexaSimOptions => ({ sessions: 300, now: () => T0, ...o });

  it('is deterministic for the same seed and clock, and differs for another seed', async () => {
    const [a, b, other] = await Promise.all([
      startCloudConnexaSimulator(opts()),
      startCloudConnexaSimulator(opts()),
      startCloudConnexaSimulator(opts({ seed: 7 })),
    ]);
    try {
      expect(b.data.sessions).toEqual(a.data.sessions);
      expect(b.data.users).toEqual(a.data.users);
      expect(b.data.networks).toEqual(a.data.networks);
      expect(other.data.sessions).not.toEqual(a.data.sessions);
      expect(a.data.sessionAt(17)).toEqual(a.data.sessions[17]);
      const ta = await tokenFor(a);
      const tb = await tokenFor(b);
      const q = { size: 50, startDate: iso(T0 - 5 * DAY) };
      const pa = await api(a, ta)('/api/v1/sessions', q);
      const pb = await api(b, tb)('/api/v1/sessions', q);
      expect(pa.text).toBe(pb.text); // cursors included
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  it('has modest defaults: 600 sessions over 7 days, 40 users', async () => {
    const sim = await startCloudConnexaSimulator({ now: () => T0 });
    try {
      expect(sim.data.sessionCount).toBe(600);
      expect(sim.data.users).toHaveLength(40);
      const oldest = Date.parse(sim.data.sessionAt(0).sessionStartTime);
      expect(oldest).toBeGreaterThanOrEqual(T0 - 7 * DAY);
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    } finally {
      await sim.close();
    }
  });

  it('starts 100 000 sessions well under 2 s and pages them without materialising all', async () => {
    const t = performance.now();
    const sim = await startCloudConnexaSimulator({ sessions: 100_000, now: () => T0 });
    try {
      expect(performance.now() - t).toBeLessThan(2_000);
      const get = api(sim, await tokenFor(sim));
      const first = await get('/api/v1/sessions', { size: 100, startDate: iso(T0 - 7 * DAY) });
      const second = await get('/api/v1/sessions', { size: 100, startDate: iso(T0 - 7 * DAY), cursor: first.body.nextCursor });
      expect(second.body.sessions[0]).toEqual(sim.data.sessionAt(100));
    } finally {
      await sim.close();
    }
  });
});
