// The cases of "every answer right" (issue 8), each against the simulators: the rows, and the API
// calls that prove the fetch was as wide as the statement needs and no narrower.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { startAzureSimulator } from '../../src/simulator/azure/index.js';
import type { AzureSimulator } from '../../src/simulator/azure/types.js';
import { apiRequests, azEngine, ccEngine, failureOf, queryOnce } from '../helpers/engines.js';

const S = 'cloudconnexa.vpn.sessions';
const DAY = 86_400_000;
let cc: CloudConnexaSimulator;
let az: AzureSimulator;

beforeAll(async () => {
  [cc, az] = await Promise.all([
    startCloudConnexaSimulator({ seed: 42, sessions: 600, historyDays: 7 }),
    startAzureSimulator({ seed: 7, retryAfterSeconds: 0 }),
  ]);
});
afterAll(async () => Promise.all([cc.close(), az.close()]));
beforeEach(() => {
  cc.resetLog();
  az.resetLog();
});

const rows = (sql: string) => queryOnce(ccEngine(cc), sql);
const sessionCalls = () => apiRequests(cc.requests, '/api/v1/sessions');
const count = async (sql: string) => Number((await rows(sql)).rows[0][0]);

describe('time bounds written as functions are evaluated by SQLite and pushed', () => {
  it("sessionStartTime >= date('now','-7 days') fetches the same rows as the literal bound", async () => {
    const day = new Date(Date.now() - 7 * DAY).toISOString().slice(0, 10);
    const viaFunction = await count(`SELECT count(*) FROM ${S} WHERE sessionStartTime >= date('now','-7 days')`);
    // the probe asks from midnight 7 days ago; sub-windows (if any) start later
    expect(
      sessionCalls()
        .map((c) => c.query.startDate)
        .sort()[0],
    ).toBe(`${day}T00:00:00Z`);
    expect(viaFunction).toBe(await count(`SELECT count(*) FROM ${S} WHERE sessionStartTime >= '${day}'`));
    expect(viaFunction).toBe(cc.data.sessions.filter((s) => s.sessionStartTime.slice(0, 10) >= day).length);
  });

  it('a time condition that gives no lower bound fetches the whole history window, and says so', async () => {
    const e = ccEngine(cc);
    try {
      const r = await e.query(`SELECT count(*) FROM ${S} WHERE date(sessionStartTime) >= date('now','-5 days')`);
      const day = new Date(Date.now() - 5 * DAY).toISOString().slice(0, 10);
      expect(r.rows[0][0]).toBe(cc.data.sessions.filter((s) => s.sessionStartTime.slice(0, 10) >= day).length);
      expect(r.warnings.join('\n')).toMatch(/whole history window \(30 days\)/);
      const oldest = Math.min(...sessionCalls().map((c) => Date.parse(c.query.startDate)));
      expect(oldest).toBeLessThan(Date.now() - 29 * DAY);
    } finally {
      e.close();
    }
  });

  it('a statement with no time bound gets the default window and one notice naming what to add, once per engine', async () => {
    const e = ccEngine(cc);
    try {
      const r = await e.query(`SELECT count(*) FROM ${S} WHERE status = 'COMPLETED'`);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/no time bound.*last 1 day.*sessionStartTime >= date\('now','-N days'\)/);
      const since = Date.parse(sessionCalls()[0].query.startDate);
      expect(Math.abs(since - (Date.now() - DAY))).toBeLessThan(60_000);
      expect((await e.query(`SELECT count(*) FROM ${S} WHERE status = 'FAILED'`)).warnings).toEqual([]);
    } finally {
      e.close();
    }
  });
});

describe('analysis covers SQLite that the old parser rejected', () => {
  it('a window function without PARTITION BY keeps its pushdown', async () => {
    const start = new Date(Date.now() - 3 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const inner = `SELECT count(*) FROM ${S} WHERE startDate = '${start}'`;
    const windowed = `SELECT count(*) FROM (SELECT row_number() OVER (ORDER BY id) FROM ${S} WHERE startDate = '${start}')`;
    expect(await count(windowed)).toBe(await count(inner));
    expect(await count(windowed)).toBeGreaterThan(0);
  });
});

describe('LIMIT and OFFSET', () => {
  it.each([
    ['LIMIT -1 OFFSET 5', 5],
    ['LIMIT 5, -1', 5],
  ])('%s skips rows and keeps the rest', async (limit, skipped) => {
    const where = `WHERE sessionStartTime >= date('now','-3 days')`;
    const all = await count(`SELECT count(*) FROM ${S} ${where}`);
    const r = await rows(`SELECT id FROM ${S} ${where} ${limit}`);
    expect(r.rows).toHaveLength(all - skipped);
  });

  it('LIMIT n OFFSET m with an exact WHERE stops paging after n + m rows', async () => {
    const r = await rows(`SELECT id FROM ${S} WHERE status = 'COMPLETED' LIMIT 3 OFFSET 2`);
    expect(r.rows).toHaveLength(3);
    expect(sessionCalls()).toHaveLength(1);
  });
});

describe('timestamps compare as instants', () => {
  it("startTime < datetime('now','-6 hours') on Azure matches datetime(startTime) < …", async () => {
    const q = (w: string) => queryOnce(azEngine(az), `SELECT count(*) FROM azure.network.active_sessions WHERE ${w}`);
    const plain = (await q("startTime < datetime('now','-6 hours')")).rows[0][0];
    const wrapped = (await q("datetime(startTime) < datetime('now','-6 hours')")).rows[0][0];
    const expected = [...az.data.sessions.values()].flat().filter((s) => Date.parse(String(s.startTime)) < Date.now() - 6 * 3_600_000).length;
    expect(plain).toBe(expected);
    expect(wrapped).toBe(expected);
  });

  it('literals with T and Z, with a space, and with a zone offset mean the same instant', async () => {
    const s = cc.data.sessions[300];
    const t = new Date(s.sessionStartTime);
    const iso = t.toISOString().replace(/\.\d+Z$/, 'Z');
    const spaced = iso.replace('T', ' ').replace('Z', '');
    const zoned = new Date(t.getTime() + 2 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+02:00');
    const where = `WHERE sessionStartTime >= date('now','-7 days') AND id = '${s.id}' AND sessionStartTime`;
    for (const literal of [iso, spaced, zoned]) {
      expect(await count(`SELECT count(*) FROM ${S} ${where} >= '${literal}'`)).toBe(1);
      expect(await count(`SELECT count(*) FROM ${S} ${where} <= '${literal}'`)).toBe(t.getUTCMilliseconds() === 0 ? 1 : 0);
    }
  });
});

describe('user mistakes fail before any API call', () => {
  it('a misspelled column is UNKNOWN_COLUMN with a suggestion, and costs no request', async () => {
    const err = await failureOf(() => rows(`SELECT usrName FROM ${S}`));
    expect(err.code).toBe('UNKNOWN_COLUMN');
    expect(err.hint).toMatch(/did you mean userName/);
    expect(cc.requests).toHaveLength(0);
  });

  it.each([`SELECT "cloudconnexa"."vpn"."sessions"`, `SELECT count(*) FROM ${S} azure.network.active_sessions`, `SELECT ${S} FROM ${S}`])(
    '%s is a SQL error (exit 2), never INTERNAL',
    async (sql) => {
      const err = await failureOf(() => rows(sql));
      expect(err.code).toBe('SQL_SYNTAX');
      expect(cc.requests).toHaveLength(0);
      expect(az.requests).toHaveLength(0);
    },
  );
});

describe('rows without a key', () => {
  it('a session without an id is a MALFORMED_RESPONSE naming the field, not a duplicate row', async () => {
    cc.injectFault({ path: '/api/v1/sessions', status: 200, body: JSON.stringify({ sessions: [{ userName: 'x', status: 'ACTIVE' }] }), times: 1 });
    const err = await failureOf(() => rows(`SELECT count(*) FROM ${S} WHERE status = 'ACTIVE'`));
    expect(err.code).toBe('MALFORMED_RESPONSE');
    expect(err.message).toMatch(/has no id/);
  });
});

describe('EXPLAIN shows what the loader will do', () => {
  it('the sub-windows of a long window and the widened bound', async () => {
    const e = ccEngine(cc, { config: { cloudconnexa: { pageOrder: 'created' } } });
    try {
      const r = await e.query(`EXPLAIN SELECT * FROM ${S} WHERE sessionStartTime < '2026-01-01' OR status = 'FAILED'`);
      const text = r.rows.map((x) => x.join(' | ')).join('\n');
      expect(text).toMatch(/widened/);
      expect(text).toMatch(/16 sub-windows concurrently/);
      expect(text).toMatch(/at run time .* splits the rest of a sub-window that falls behind/);
      expect(cc.requests).toHaveLength(0);
    } finally {
      e.close();
    }
  });
});

describe('lookup columns (manifest `lookup`)', () => {
  it('region_name comes from the regions list, listed once and only when the statement uses it', async () => {
    const r = await rows(`SELECT region_id, region_name FROM ${S} WHERE status = 'ACTIVE'`);
    const regions = await queryOnce(ccEngine(cc), 'SELECT id, regionName FROM cloudconnexa.vpn.regions');
    const names = new Map(regions.rows.map(([id, name]) => [id, name]));
    expect(r.rows.length).toBeGreaterThan(0);
    for (const [id, name] of r.rows) expect(name).toBe(names.get(id) ?? null);
    cc.resetLog();
    await rows(`SELECT region_id FROM ${S} WHERE status = 'ACTIVE'`);
    expect(apiRequests(cc.requests, '/api/v1/regions')).toHaveLength(0);
    cc.resetLog();
    await rows(`SELECT * FROM ${S} WHERE status = 'ACTIVE'`);
    expect(apiRequests(cc.requests, '/api/v1/regions')).toHaveLength(1);
  });
});
