// SQL-level tests of the CloudConnexa provider against its simulator: each checks the rows AND the
// API calls made, so a pushdown regression fails loudly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator, SessionResponse } from '../../src/simulator/cloudconnexa/types.js';
import { apiRequests, ccEngine, failureOf, queryOnce } from '../helpers/engines.js';
import { QuotaEstimates } from '../../src/fetch/quota-estimate.js';

const S = 'cloudconnexa.vpn.sessions';
let sim: CloudConnexaSimulator;
let sessions: readonly SessionResponse[];
const DAY = 86_400_000;

beforeAll(async () => {
  sim = await startCloudConnexaSimulator({ seed: 42, sessions: 600, historyDays: 7 });
  sessions = sim.data.sessions;
});
afterAll(async () => sim.close());
beforeEach(() => sim.resetLog());

/** SQLite's ORDER BY for text: NULL first, then by code unit. */
const sqliteOrder = (values: Array<string | null | undefined>) =>
  [...new Set(values.map((v) => v ?? null))].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const sessionCalls = () => apiRequests(sim.requests, '/api/v1/sessions');

const rows = (sql: string, opts: Parameters<typeof ccEngine>[1] = {}) => queryOnce(ccEngine(sim, opts), sql);
const failure = (sql: string, opts: Parameters<typeof ccEngine>[1] = {}) => failureOf(() => rows(sql, opts));

describe('the Terraform cloudconnexa_sessions examples, as SQL', () => {
  it('all sessions (the API default window: the last day)', async () => {
    const r = await rows(`SELECT id FROM ${S}`);
    const since = Date.now() - DAY - 5_000;
    const expected = sessions.filter(
      (s) => Date.parse(s.sessionEndTime ?? new Date().toISOString()) >= since || Date.parse(s.sessionStartTime) >= since,
    );
    expect(r.rows.length).toBeGreaterThan(100);
    // every session created or updated in the window, each once
    expect(new Set(r.rows.map((x) => x[0])).size).toBe(r.rows.length);
    expect(r.rows.length).toBeGreaterThanOrEqual(expected.length - 5);
    for (const call of sessionCalls()) expect(call.query.size).toBe('100');
  });

  it('active only: status is pushed, and every active session comes back', async () => {
    const r = await rows(`SELECT id, status FROM ${S} WHERE status = 'ACTIVE'`);
    const active = sessions
      .filter((s) => s.status === 'ACTIVE')
      .map((s) => s.id)
      .sort();
    expect(r.rows.map((x) => x[0]).sort()).toEqual(active);
    expect(sessionCalls().length).toBeGreaterThan(0);
    for (const call of sessionCalls()) expect(call.query.status).toBe('ACTIVE');
  });

  it('a date range: startDate and endDate go on the wire as written', async () => {
    const start = iso(Date.now() - 3 * DAY);
    const end = iso(Date.now() - 2 * DAY);
    const r = await rows(`SELECT id FROM ${S} WHERE status = 'COMPLETED' AND startDate = '${start}' AND endDate = '${end}'`, { windowSplit: 1 });
    const s0 = Date.parse(start);
    const e0 = Date.parse(end);
    const inWin = (t?: string) => t !== undefined && Date.parse(t) >= s0 && Date.parse(t) < e0;
    const expected = sessions.filter((s) => s.status === 'COMPLETED' && (inWin(s.sessionStartTime) || inWin(s.sessionEndTime)));
    expect(r.rows.map((x) => x[0]).sort()).toEqual(expected.map((s) => s.id).sort());
    for (const call of sessionCalls()) expect(call.query).toMatchObject({ status: 'COMPLETED', startDate: start, endDate: end });
  });

  it('the count of active sessions', async () => {
    const r = await rows(`SELECT count(*) AS active_session_count FROM ${S} WHERE status = 'ACTIVE'`);
    expect(r.columns).toEqual(['active_session_count']);
    expect(r.rows).toEqual([[sessions.filter((s) => s.status === 'ACTIVE').length]]);
  });

  it('the distinct user names of active sessions', async () => {
    const r = await rows(`SELECT DISTINCT userName FROM ${S} WHERE status = 'ACTIVE' ORDER BY userName`);
    // connector sessions have no user name: NULL sorts first
    expect(r.rows.map((x) => x[0])).toEqual(sqliteOrder(sessions.filter((s) => s.status === 'ACTIVE').map((s) => s.userName)));
  });
});

describe('pushdown and fetch counts', () => {
  it('IN fans out one fetch per value', async () => {
    const r = await rows(`SELECT status, count(*) FROM ${S} WHERE status IN ('ACTIVE', 'FAILED') GROUP BY status ORDER BY status`, {
      windowSplit: 1,
    });
    expect(r.rows.map((x) => x[0])).toEqual(['ACTIVE', 'FAILED']);
    expect(r.stats.fetches).toBe(2);
    expect(new Set(sessionCalls().map((c) => c.query.status))).toEqual(new Set(['ACTIVE', 'FAILED']));
  });

  it('LIMIT on a plain scan makes exactly one request', async () => {
    const r = await rows(`SELECT * FROM ${S} LIMIT 10`);
    expect(r.rows).toHaveLength(10);
    expect(sessionCalls()).toHaveLength(1);
  });

  it('a self-join with different filters fetches each binding and stays correct', async () => {
    const r = await rows(
      `SELECT DISTINCT a.userName FROM ${S} a JOIN ${S} b ON a.userId = b.userId WHERE a.status = 'ACTIVE' AND b.status = 'FAILED' ORDER BY 1`,
      { windowSplit: 1 },
    );
    const failedUsers = new Set(
      sessions.filter((s) => s.status === 'FAILED' && Date.parse(s.sessionEndTime ?? s.sessionStartTime) >= Date.now() - DAY).map((s) => s.userId),
    );
    // NULL userIds (connector sessions) never join
    const expected = sqliteOrder(
      sessions.filter((s) => s.status === 'ACTIVE' && s.userId !== undefined && failedUsers.has(s.userId)).map((s) => s.userName),
    );
    expect(r.rows.map((x) => x[0])).toEqual(expected);
    expect(new Set(sessionCalls().map((c) => c.query.status))).toEqual(new Set(['ACTIVE', 'FAILED']));
  });

  it('the same fetch referenced twice is made once', async () => {
    const r = await rows(
      `SELECT (SELECT count(*) FROM ${S} WHERE status = 'ACTIVE') AS a, (SELECT count(*) FROM ${S} s WHERE s.status = 'ACTIVE') AS b`,
      { windowSplit: 1 },
    );
    expect(r.rows[0][0]).toBe(r.rows[0][1]);
    expect(sessionCalls()).toHaveLength(1);
  });

  it('a repeated statement in one script is served from the cache', async () => {
    const engine = ccEngine(sim, { cache: { ttlSeconds: 300 } });
    const results = [];
    for await (const r of engine.run(`SELECT count(*) FROM ${S} WHERE status = 'ACTIVE'; SELECT count(*) FROM ${S} WHERE status = 'ACTIVE';`))
      results.push(r);
    engine.close();
    expect(results[1].rows).toEqual(results[0].rows);
    expect(results[1].stats.cacheHits).toBe(1);
    expect(results[1].stats.requests).toBe(0);
  });

  it('a lower bound on sessionStartTime widens startDate and keeps every matching row', async () => {
    const bound = iso(Date.now() - 3 * DAY);
    const r = await rows(`SELECT id FROM ${S} WHERE sessionStartTime >= '${bound}'`);
    const expected = sessions
      .filter((s) => s.sessionStartTime >= bound)
      .map((s) => s.id)
      .sort();
    expect(r.rows.map((x) => x[0]).sort()).toEqual(expected);
    for (const call of sessionCalls()) expect(Date.parse(call.query.startDate)).toBeGreaterThanOrEqual(Date.parse(bound));
    expect(sessionCalls().some((c) => c.query.startDate === bound)).toBe(true);
  });

  it('the beta sessions path is used when the provider setting selects it', async () => {
    await rows(`SELECT count(*) FROM ${S} WHERE status = 'ACTIVE'`, { config: { cloudconnexa: { sessionsApi: 'beta' } } });
    expect(apiRequests(sim.requests, '/api/beta/sessions').length).toBeGreaterThan(0);
    expect(sessionCalls()).toHaveLength(0);
  });
});

describe('other resources, joins and JSON', () => {
  it('joins sessions to users and regions', async () => {
    const r = await rows(
      `SELECT r.country, count(*) AS n FROM ${S} s JOIN cloudconnexa.vpn.regions r ON r.id = s.region WHERE s.status = 'ACTIVE' GROUP BY r.country ORDER BY n DESC, r.country`,
    );
    const total = r.rows.reduce((n, x) => n + (x[1] as number), 0);
    expect(total).toBe(sessions.filter((s) => s.status === 'ACTIVE').length);
    expect(apiRequests(sim.requests, '/api/v1/regions')).toHaveLength(1);
  });

  it('pages through users and reads nested JSON with ->>', async () => {
    const users = await rows(`SELECT count(*) FROM cloudconnexa.vpn.users`);
    expect(users.rows[0][0]).toBe(sim.data.users.length);
    const devices = await rows(`SELECT platform->>'$.os' AS os, count(*) AS n FROM cloudconnexa.vpn.devices GROUP BY os ORDER BY os`);
    const byOs = new Map<string, number>();
    for (const d of sim.data.devices) byOs.set(d.platform.os, (byOs.get(d.platform.os) ?? 0) + 1);
    expect(devices.rows).toEqual(sqliteOrder([...byOs.keys()]).map((os) => [os, byOs.get(os!)]));
  });

  it('lists both kinds of connectors when kind is unbound', async () => {
    const r = await rows(`SELECT kind, count(*) FROM cloudconnexa.vpn.connectors GROUP BY kind ORDER BY kind`);
    expect(r.rows).toEqual([
      ['HOST', sim.data.hostConnectors.length],
      ['NETWORK', sim.data.networkConnectors.length],
    ]);
    expect(apiRequests(sim.requests, '/api/v1/hosts/connectors')).toHaveLength(1);
    expect(apiRequests(sim.requests, '/api/v1/networks/connectors')).toHaveLength(1);
  });

  it('window functions and CTEs run in SQLite', async () => {
    const r = await rows(`WITH a AS (SELECT userName, bytesIn FROM ${S} WHERE status = 'ACTIVE')
      SELECT userName, bytesIn, row_number() OVER (ORDER BY bytesIn DESC, userName) AS rk FROM a ORDER BY rk LIMIT 3`);
    expect(r.rows.map((x) => x[2])).toEqual([1, 2, 3]);
    expect(r.rows[0][1]).toBe(Math.max(...sessions.filter((s) => s.status === 'ACTIVE').map((s) => s.bytesIn)));
  });
});

describe('a field under two names (the Terraform columns)', () => {
  // the second name is computed from the first when read (a generated column of the fetch's table)
  const PAIRS = [
    ['session_id', 'id'],
    ['user_name', 'userName'],
    ['start_date_time', 'sessionStartTime'],
    ['connection_status', 'status'],
    ['bytes_in', 'bytesIn'],
    ['region_id', 'region'],
  ];

  it('reads the same value, type and declared type under both names, in SELECT * and in WHERE', async () => {
    const r = await rows(`SELECT *, ${PAIRS.map(([tf]) => `typeof(${tf})`).join(', ')} FROM ${S} WHERE startDate = '${iso(Date.now() - 3 * DAY)}'`);
    const at = (name: string) => r.columns.indexOf(name);
    expect(r.rows.length).toBeGreaterThan(100);
    for (const [tf, api] of PAIRS) {
      expect(r.types?.[at(tf)], tf).toEqual(r.types?.[at(api)]);
      for (const row of r.rows) expect(row[at(tf)], tf).toEqual(row[at(api)]);
      expect(new Set(r.rows.map((row) => row[at(`typeof(${tf})`)])), tf).toEqual(
        new Set(r.rows.map((row) => (row[at(api)] === null ? 'null' : typeof row[at(api)] === 'number' ? 'integer' : 'text'))),
      );
    }
    const byId = new Map(sessions.map((s) => [s.id, s]));
    for (const row of r.rows) expect(row[at('bytes_in')]).toBe(byId.get(row[at('session_id')] as string)?.bytesIn);
    const active = await rows(`SELECT count(*) FROM ${S} WHERE connection_status = 'ACTIVE' AND session_id IS NOT NULL`);
    expect(active.rows[0][0]).toBe(sessions.filter((s) => s.status === 'ACTIVE').length);
  });
});

describe('failures never become empty or partial results', () => {
  it('missing credentials fail before any request', async () => {
    const e = await failure(`SELECT * FROM ${S}`, { config: { cloudconnexa: { clientSecret: '' } } });
    expect(e.code).toBe('MISSING_CREDENTIALS');
    expect(e.message + (e.hint ?? '')).toContain('CLOUDCONNEXA_CLIENT_SECRET');
    expect(sim.requests).toHaveLength(0);
  });

  it('a wrong secret is an auth failure that does not print the secret', async () => {
    const e = await failure(`SELECT * FROM ${S}`, { config: { cloudconnexa: { clientSecret: 'wrong-secret-value' } } });
    expect(e.code).toBe('AUTH_FAILED');
    expect(`${e.message} ${e.hint}`).not.toContain('wrong-secret-value');
  });

  it('a persistent 500 fails the statement after retries', async () => {
    sim.injectFault({ path: '/api/v1/sessions', status: 500, times: 6 });
    const e = await failure(`SELECT * FROM ${S} WHERE status = 'ACTIVE'`, { windowSplit: 1 });
    expect(e.code).toBe('API_ERROR');
    expect(sessionCalls().length).toBe(6);
  });

  it('a transient 503 is retried and the rows are complete', async () => {
    sim.injectFault({ path: '/api/v1/sessions', status: 503, times: 1 });
    const r = await rows(`SELECT count(*) FROM ${S} WHERE status = 'ACTIVE'`, { windowSplit: 1 });
    expect(r.rows[0][0]).toBe(sessions.filter((s) => s.status === 'ACTIVE').length);
    expect(r.stats.retries).toBe(1);
  });

  it('a malformed body is reported, not read as empty', async () => {
    sim.injectFault({ path: '/api/v1/sessions', status: 200, body: 'malformed', times: 1 });
    expect((await failure(`SELECT * FROM ${S}`, { windowSplit: 1 })).code).toBe('MALFORMED_RESPONSE');
  });

  it('a startDate outside the history window fails before any request, explaining the window', async () => {
    const e = await failure(`SELECT * FROM ${S} WHERE startDate = '${iso(Date.now() - 40 * DAY)}'`);
    expect(e.code).toBe('INVALID_PARAMETER');
    expect(e.hint).toMatch(/30 days/);
    expect(sim.requests).toHaveLength(0);
  });

  it('a revoked token is fetched again once', async () => {
    const engine = ccEngine(sim);
    await engine.query(`SELECT count(*) FROM cloudconnexa.vpn.regions`);
    sim.revokeTokens();
    const r = await engine.query(`SELECT count(*) FROM cloudconnexa.vpn.regions`);
    engine.close();
    expect(r.rows[0][0]).toBe(sim.data.regions.length);
    expect(sim.requests.filter((q) => q.path === '/api/v1/oauth/token')).toHaveLength(2);
  });
});

/**
 * A simulator with a token bucket, on one clock with the engine (bucket, pacer and planner), so
 * waits take no real time; `options` points an engine at it, recording every wait in `waits`.
 */
async function limitedSimulator(rateLimit: { burst: number; replenishRate: number; replenishTimeSeconds: number }) {
  let clock = Date.now();
  const now = () => clock;
  const limited = await startCloudConnexaSimulator({ seed: 3, sessions: 900, historyDays: 2, now, rateLimit });
  const waits: number[] = [];
  const options = {
    now,
    config: { cloudconnexa: { baseUrl: limited.url, clientId: limited.clientId, clientSecret: limited.clientSecret } },
    fetch: { now, sleep: async (ms: number) => void (waits.push(ms), (clock += ms)) },
  };
  const sessionPages = () => limited.requests.filter((q) => q.path === '/api/v1/sessions').length;
  return { limited, now, waits, options, sessionPages };
}

describe('rate limits', () => {
  it('paces from X-RateLimit headers so steady paging never hits 429', async () => {
    const { limited, waits, options, sessionPages } = await limitedSimulator({ burst: 3, replenishRate: 1, replenishTimeSeconds: 2 });
    try {
      const r = await rows(`SELECT count(*) FROM ${S}`, { ...options, windowSplit: 1 });
      const pages = sessionPages();
      expect(r.rows[0][0]).toBeGreaterThan(300);
      expect(pages).toBeGreaterThan(3);
      expect(limited.requests.filter((q) => q.status === 429)).toHaveLength(0);
      // the burst is spent at once, then one request per replenish period
      expect(waits.reduce((a, b) => a + b, 0)).toBe((pages - 3) * 2000);
    } finally {
      await limited.close();
    }
  });

  it('a window paged in one sequence under the bucket estimates its time left from its pace (page order not declared)', async () => {
    const { limited, now, options, sessionPages } = await limitedSimulator({ burst: 3, replenishRate: 1, replenishTimeSeconds: 2 });
    const estimates = new QuotaEstimates();
    const texts: Array<string | undefined> = [];
    try {
      const r = await rows(`SELECT count(*) FROM ${S} WHERE startDate = '${new Date(now() - 2 * DAY).toISOString()}'`, {
        ...options,
        onEvent: (e) => {
          if (e.kind !== 'estimate') return;
          estimates.update(e);
          texts.push(estimates.text());
        },
      });
      const pages = sessionPages();
      expect(r.rows[0][0]).toBeGreaterThan(300);
      const shown = texts.filter((t): t is string => t !== undefined);
      // an estimate after (nearly) every page, in the bucket's words, shrinking as the window is covered
      expect(shown.length).toBeGreaterThan(pages / 2);
      for (const t of shown) expect(t).toMatch(/^~\d+ (s|m \d\d s) left at 1 request \/ 2 s$/);
      const seconds = (t: string) => {
        const m = /^~(?:(\d+) m )?(\d+) s/.exec(t)!;
        return Number(m[1] ?? 0) * 60 + Number(m[2]);
      };
      expect(seconds(shown[0])).toBeGreaterThan(seconds(shown.at(-1)!));
      // the window done, nothing is left to estimate
      expect(texts.at(-1)).toBeUndefined();
    } finally {
      await limited.close();
    }
  });

  it('EXPLAIN estimates a call from the rate limit the API stated and the pages the same call took before', async () => {
    const { limited, now, options, sessionPages } = await limitedSimulator({ burst: 3, replenishRate: 1, replenishTimeSeconds: 2 });
    const engine = ccEngine(limited, { ...options, windowSplit: 1 });
    const sql = `SELECT count(*) FROM ${S} WHERE startDate = '${new Date(now() - 2 * DAY).toISOString()}'`;
    const estimate = async () => (await engine.query(`EXPLAIN ${sql}`)).rows.filter((r) => r[0] === 'estimate').map((r) => String(r[2]));
    try {
      // before any response the limit is not known: EXPLAIN says so instead of guessing
      expect(await estimate()).toEqual([expect.stringMatching(/^time: not estimated yet/)]);
      await engine.query(sql);
      const pages = sessionPages();
      expect(pages).toBeGreaterThan(3);
      // the bucket is empty after paging: every page waits one replenish period (2 s)
      const [text] = await estimate();
      const seconds = pages * 2;
      expect(text).toBe(
        `time: ~${seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, '0')} s`} for ${pages} pages when it last ran, at the API's rate limit (1 request / 2 s, 0 of 3 requests in hand now)`,
      );
      // a call not run before: the cost of each page past the requests in hand
      expect(await (await engine.query(`EXPLAIN SELECT count(*) FROM cloudconnexa.vpn.users`)).rows.find((r) => r[0] === 'estimate')?.[2]).toMatch(
        /^time: at the API's rate limit \(1 request \/ 2 s, 0 of 3 requests in hand now\) each request waits ~2 s; the page count is known only once it runs$/,
      );
    } finally {
      engine.close();
      await limited.close();
    }
  });

  it('EXPLAIN adds no estimate once the API has answered without rate-limit headers', async () => {
    const engine = ccEngine(sim);
    try {
      const estimates = async () =>
        (await engine.query(`EXPLAIN SELECT count(*) FROM cloudconnexa.vpn.regions`)).rows.filter((r) => r[0] === 'estimate');
      expect(await estimates()).toHaveLength(1); // not known yet
      await engine.query(`SELECT count(*) FROM cloudconnexa.vpn.regions`);
      expect(await estimates()).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('without a rate limit a long window is split into concurrent sub-windows after one probe page', async () => {
    const r = await rows(`SELECT count(*) FROM ${S}`, { windowSplit: 4, config: { cloudconnexa: { pageOrder: 'created' } } });
    const calls = sessionCalls();
    // the probe (whole window, created or updated), then sub-windows of the rest, each asking for
    // the sessions created in it; the chains start where the probe's last row was created
    expect(calls[0].query.endDate).toBeUndefined();
    expect(calls[0].query.returnOnlyNew).toBeUndefined();
    const chains = calls.slice(1).filter((c) => !c.query.cursor);
    expect(chains.length).toBeGreaterThanOrEqual(4);
    for (const c of chains) expect(c.query.returnOnlyNew).toBe('true');
    // together they cover one interval, each start once, ending open (no endDate)
    const starts = chains.map((c) => c.query.startDate).sort();
    expect(chains.filter((c) => c.query.endDate === undefined).length).toBeGreaterThanOrEqual(1);
    expect(starts[0] >= calls[0].query.startDate).toBe(true);
    const single = await rows(`SELECT count(*) FROM ${S}`, { windowSplit: 1 });
    expect(r.rows).toEqual(single.rows);
  });

  it('under a slow token bucket the window is paged in one sequence: no extra requests', async () => {
    const { limited, options } = await limitedSimulator({ burst: 20, replenishRate: 1, replenishTimeSeconds: 1 });
    try {
      await rows(`SELECT count(*) FROM ${S}`, { ...options, windowSplit: 4 });
      const calls = limited.requests.filter((q) => q.path === '/api/v1/sessions');
      expect(calls.length).toBeGreaterThan(1);
      expect(new Set(calls.map((c) => c.query.startDate)).size).toBe(1);
      expect(calls.every((c) => c.query.endDate === undefined)).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('a bare 429 is waited out and retried', async () => {
    sim.injectFault({ path: '/api/v1/sessions', status: 429, times: 1 });
    const r = await rows(`SELECT count(*) FROM ${S} WHERE status = 'ACTIVE'`, { windowSplit: 1 });
    expect(r.rows[0][0]).toBe(sessions.filter((s) => s.status === 'ACTIVE').length);
    expect(r.stats.throttled).toBe(1);
  });
});
