// History sync and reading against the simulators, into a SQLite file and a real PostgreSQL:
// backfill exact, incremental exact and cheap, snapshot sightings (gone sessions), failed tables,
// and `--db` answers equal to live answers for the same window.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/engine.js';
import { openHistoryStore } from '../../src/history/open.js';
import { HistorySource } from '../../src/history/source.js';
import type { HistoryStore } from '../../src/history/store.js';
import { syncOnce } from '../../src/history/sync.js';
import { startAzureSimulator, type AzureSimulator } from '../../src/simulator/azure/index.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { BACKENDS, freshTarget, type Backend } from './targets.js';

const S = 'cloudconnexa.vpn.sessions';
const A = 'azure.network.active_sessions';
const COLS =
  'id, userName, userId, status, sessionStartTime, sessionEndTime, sessionDurationSeconds, bytesIn, bytesOut, publicIp, region, deviceId, secondaryGroupNames, disconnectReason';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function ccSim(opts: Parameters<typeof startCloudConnexaSimulator>[0] = {}): Promise<CloudConnexaSimulator> {
  const t0 = Date.now();
  const sim = await startCloudConnexaSimulator({ seed: 11, sessions: 400, historyDays: 7, now: () => t0, ...opts });
  cleanup.push(() => sim.close());
  return sim;
}

/** The Azure simulator (Bastion sessions on a frozen clock), a fresh history target, and a live engine on them. */
async function azureSnapshot(backend: Backend, extra: Partial<EngineOptions> = {}) {
  const t0 = Date.now();
  const az = await startAzureSimulator({ retryAfterSeconds: 0, sessionsPerHost: [2, 6], now: () => t0 });
  cleanup.push(() => az.close());
  const { url, store } = await target(backend);
  const live = liveEngine(undefined, az, undefined, extra);
  const sync = () => syncOnce({ engine: live, store, tables: [A], now: () => az.now() });
  return { az, url, store, live, sync };
}

function liveEngine(sim: CloudConnexaSimulator | undefined, az?: AzureSimulator, history?: HistoryStore, extra: Partial<EngineOptions> = {}): Engine {
  const e = createEngine({
    ...extra,
    env: {},
    cache: false,
    now: sim ? () => sim.now() : az ? () => az.now() : undefined,
    config: {
      ...(sim ? { cloudconnexa: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } } : {}),
      ...(az ? { azure: { resourceManagerUrl: az.url, accessToken: az.token } } : {}),
    },
    fetch: { retryWaitCapMs: 5, lroPollCapMs: 5 },
    history: history ? new HistorySource(history) : undefined,
  });
  if (!history) cleanup.push(() => e.close());
  return e;
}

async function target(backend: Backend): Promise<{ url: string; store: HistoryStore }> {
  const url = await freshTarget(backend);
  const store = await openHistoryStore(url);
  cleanup.push(() => store.close());
  return { url, store };
}

async function historyEngine(url: string): Promise<Engine> {
  const e = createEngine({ env: {}, history: new HistorySource(await openHistoryStore(url, { readOnly: true })) });
  cleanup.push(() => e.close());
  return e;
}

const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
const ago = (sim: { now(): number }, ms: number) => new Date(sim.now() - ms).toISOString().replace(/\.\d+Z$/, 'Z');

describe.each(BACKENDS)('history in %s', (backend) => {
  it('backfills exactly what the API keeps, then syncs incrementally with a page or two', async () => {
    const sim = await ccSim();
    const { url, store } = await target(backend);
    const live = liveEngine(sim);
    const first = await syncOnce({ engine: live, store, tables: [S], now: () => sim.now() });
    expect(first[0]).toMatchObject({ status: 'ok', new: 400, updated: 0, gone: 0 });

    const all = `SELECT ${COLS} FROM ${S} WHERE startDate = '${ago(sim, 29 * 86_400_000)}'`;
    const hist = await historyEngine(url);
    const everything = `SELECT ${COLS} FROM ${S}`;
    expect(sorted((await hist.query(everything)).rows)).toEqual(sorted((await live.query(all)).rows));

    // time passes: 25 new sessions, a third of the active ones complete
    const activeBefore = sim.data.sessions.filter((s) => s.status === 'ACTIVE').map((s) => s.id);
    sim.advance(10 * 60_000, { newSessions: 25, endActive: 0.33 });
    const completed = sim.data.sessions.filter((s) => activeBefore.includes(s.id) && s.status === 'COMPLETED').length;
    expect(completed).toBeGreaterThan(0);
    sim.resetLog();
    const second = await syncOnce({ engine: live, store, tables: [S], now: () => sim.now() });
    expect(second[0]).toMatchObject({ status: 'ok', new: 25, updated: completed, gone: 0 });
    // cheap: from the high-water mark minus 15 minutes, one open window: a page or two
    const calls = sim.requests.filter((r) => r.path === '/api/v1/sessions');
    expect(calls.length).toBeLessThanOrEqual(2);
    // plus one listing of the regions, which fills the region_name lookup column
    expect(second[0].requests).toBe(calls.length + sim.requests.filter((r) => r.path === '/api/v1/regions').length);
    expect(calls.every((c) => c.query.endDate === undefined && Date.parse(c.query.startDate) > sim.now() - 3_600_000)).toBe(true);
    expect(sorted((await hist.query(everything)).rows)).toEqual(sorted((await live.query(all)).rows));
    // nothing doubled
    expect((await hist.query(`SELECT count(*), count(DISTINCT id) FROM ${S}`)).rows).toEqual([[425, 425]]);

    // a sync with nothing new changes nothing
    const third = await syncOnce({ engine: live, store, tables: [S], now: () => sim.now() });
    expect(third[0]).toMatchObject({ status: 'ok', new: 0, updated: 0 });
  });

  it('answers --db queries as the live API answers them for the same window', async () => {
    const sim = await ccSim();
    const { url, store } = await target(backend);
    const live = liveEngine(sim);
    await syncOnce({ engine: live, store, tables: [S, 'cloudconnexa.vpn.regions', 'cloudconnexa.vpn.users'], now: () => sim.now() });
    const hist = await historyEngine(url);
    const since = ago(sim, 3 * 86_400_000);
    const queries = [
      `SELECT userName, count(*) AS n, sum(bytesIn + bytesOut) AS bytes FROM ${S} WHERE sessionStartTime >= '${since}' GROUP BY userName ORDER BY n DESC, userName`,
      `SELECT r.country, count(*) FROM ${S} s JOIN cloudconnexa.vpn.regions r ON r.id = s.region WHERE s.sessionStartTime >= '${since}' AND s.status = 'COMPLETED' GROUP BY r.country ORDER BY 1`,
      `SELECT id, status FROM ${S} WHERE sessionStartTime BETWEEN '${since}' AND '${ago(sim, 86_400_000)}' AND status IN ('FAILED', 'ACTIVE') ORDER BY id`,
      `SELECT u.username, count(s.id) FROM cloudconnexa.vpn.users u LEFT JOIN ${S} s ON s.userId = u.id AND s.sessionStartTime > '${since}' GROUP BY 1 ORDER BY 1`,
      `SELECT count(*) FROM ${S} WHERE sessionStartTime >= '${since.slice(0, 10)} 12:00' AND bytesIn > 100000 AND protocol = 'UDP'`,
    ];
    for (const q of queries) {
      const l = await live.query(q);
      const h = await hist.query(q);
      expect(h.rows, q).toEqual(l.rows);
      expect(h.rows.length, q).toBeGreaterThan(0);
    }
    // the time bound and the equality became the history database's own WHERE
    const plan = await hist.query(`EXPLAIN SELECT * FROM ${S} WHERE sessionStartTime >= '${since}' AND status = 'ACTIVE'`);
    expect(String(plan.rows[0][1])).toMatch(/WHERE "sessionStartTime" >= .* AND "status" = /);
    const r = await hist.query(`SELECT count(*) FROM ${S} WHERE sessionStartTime >= '${since}' AND status = 'ACTIVE'`);
    const active = sim.data.sessions.filter((s) => s.status === 'ACTIVE' && s.sessionStartTime >= since).length;
    expect(r.rows[0][0]).toBe(active);
    // SQLite reads exactly those rows; PostgreSQL reads a superset widened to the literal's unit
    if (backend === 'sqlite') expect(r.stats.rowsFetched).toBe(active);
    else expect(r.stats.rowsFetched).toBeGreaterThanOrEqual(active);
    expect(r.stats.rowsFetched).toBeLessThan(sim.data.sessions.filter((s) => s.status === 'ACTIVE').length);
  });

  it('keeps snapshot history: first and last sighting, sessions that ended are marked gone', async () => {
    const { az, url, store, live } = await azureSnapshot(backend);
    const ids = () => [...az.data.sessions.values()].flat().map((s) => s.sessionId);
    const before = ids();
    const first = await syncOnce({ engine: live, store, tables: [A], now: () => az.now() });
    expect(first[0]).toMatchObject({ status: 'ok', new: before.length, gone: 0 });
    const t1 = new Date(az.now()).toISOString();

    az.advance(5 * 60_000, { endSessions: 0.4, newSessions: 3 });
    const after = ids();
    const ended = before.filter((id) => !after.includes(id));
    expect(ended.length).toBeGreaterThan(0);
    const second = await syncOnce({ engine: live, store, tables: [A], now: () => az.now() });
    expect(second[0]).toMatchObject({ status: 'ok', new: 3, gone: ended.length, updated: after.length - 3 });
    const t2 = new Date(az.now()).toISOString();

    const hist = await historyEngine(url);
    const gone = await hist.query(`SELECT sessionId, _first_seen, _last_seen, _gone_at FROM ${A} WHERE _gone_at IS NOT NULL ORDER BY 1`);
    expect(gone.rows).toEqual([...ended].sort().map((id) => [id, t1, t1, t2]));
    const current = await hist.query(`SELECT sessionId FROM ${A} WHERE _gone_at IS NULL`);
    const liveNow = await live.query(`SELECT sessionId FROM ${A}`);
    expect(sorted(current.rows)).toEqual(sorted(liveNow.rows));
    const seen = await hist.query(`SELECT count(*) FROM ${A} WHERE _last_seen = '${t2}'`);
    expect(seen.rows[0][0]).toBe(after.length);
  });

  it("a Bastion host deleted since the last sync: its sessions are marked gone, the other hosts' stay", async () => {
    const { az, url, live, sync } = await azureSnapshot(backend);
    await sync();
    // one host goes, with its sessions; its subscription keeps other hosts
    const victim = az.data.bastionHosts.find(
      (h) =>
        az.data.bastionHosts.some(
          (o) => o !== h && o.id.split('/')[2] === h.id.split('/')[2] && (az.data.sessions.get(o.id.toLowerCase())?.length ?? 0) > 0,
        ) && (az.data.sessions.get(h.id.toLowerCase())?.length ?? 0) > 0,
    )!;
    expect(victim).toBeDefined();
    const lost = az.data.sessions.get(victim.id.toLowerCase())!.map((x) => x.sessionId);
    az.data.bastionHosts.splice(az.data.bastionHosts.indexOf(victim), 1);
    az.data.sessions.delete(victim.id.toLowerCase());
    az.advance(60_000);
    const second = await sync();
    expect(second[0]).toMatchObject({ status: 'ok', new: 0, gone: lost.length });
    const hist = await historyEngine(url);
    const gone = await hist.query(`SELECT sessionId FROM ${A} WHERE _gone_at IS NOT NULL`);
    expect(sorted(gone.rows)).toEqual(sorted(lost.map((id) => [id])));
    // what history calls current is what the API says now
    const current = await hist.query(`SELECT sessionId FROM ${A} WHERE _gone_at IS NULL`);
    expect(sorted(current.rows)).toEqual(sorted((await live.query(`SELECT sessionId FROM ${A}`)).rows));
  });

  it('every host of a subscription deleted: the subscription is still listed, so its sessions are gone too', async () => {
    const { az, url, live, sync } = await azureSnapshot(backend);
    await sync();
    const sub = az.data.bastionHosts[0].id.split('/')[2];
    const victims = az.data.bastionHosts.filter((h) => h.id.split('/')[2] === sub);
    const lost = victims.flatMap((h) => (az.data.sessions.get(h.id.toLowerCase()) ?? []).map((x) => x.sessionId));
    expect(lost.length).toBeGreaterThan(0);
    for (const h of victims) {
      az.data.bastionHosts.splice(az.data.bastionHosts.indexOf(h), 1);
      az.data.sessions.delete(h.id.toLowerCase());
    }
    az.advance(60_000);
    const second = await sync();
    expect(second[0]).toMatchObject({ status: 'ok', gone: lost.length });
    const hist = await historyEngine(url);
    const current = await hist.query(`SELECT sessionId FROM ${A} WHERE _gone_at IS NULL`);
    expect(sorted(current.rows)).toEqual(sorted((await live.query(`SELECT sessionId FROM ${A}`)).rows));
  });

  it('an engine with partial results: a failing host fails the table, its sessions are not taken for gone', async () => {
    const { az, url, sync } = await azureSnapshot(backend, { partial: true });
    const first = await sync();
    expect(first[0]).toMatchObject({ status: 'ok', gone: 0 });
    const host = az.data.bastionHosts.find((h) => (az.data.sessions.get(h.id.toLowerCase())?.length ?? 0) > 0)!;
    az.injectFault({ path: `${host.id}/getActiveSessions`, status: 403, code: 'AuthorizationFailed', times: 10 });
    az.advance(60_000);
    const second = await sync();
    expect(second[0]).toMatchObject({ status: 'failed', gone: 0 });
    expect(second[0].error?.code).toBe('PARTIAL_RESULTS');
    const hist = await historyEngine(url);
    expect((await hist.query(`SELECT count(*) FROM ${A} WHERE _gone_at IS NOT NULL`)).rows[0][0]).toBe(0);
  });

  it('a failed API call fails only its table and leaves its history and high-water mark as they were', async () => {
    const sim = await ccSim();
    const { url, store } = await target(backend);
    const live = liveEngine(sim);
    await syncOnce({ engine: live, store, tables: [S], now: () => sim.now() });
    sim.advance(60_000, { newSessions: 5 });
    sim.injectFault({ path: '/api/v1/sessions', status: 500, times: 10 });
    const r = await syncOnce({ engine: live, store, tables: [S, 'cloudconnexa.vpn.regions'], now: () => sim.now() });
    expect(r.map((x) => [x.table, x.status])).toEqual([
      [S, 'failed'],
      ['cloudconnexa.vpn.regions', 'ok'],
    ]);
    const hist = await historyEngine(url);
    expect((await hist.query(`SELECT count(*) FROM ${S}`)).rows[0][0]).toBe(400);
    // the next sync picks up where the last good one ended
    const again = await syncOnce({ engine: live, store, tables: [S], now: () => sim.now() });
    expect(again[0]).toMatchObject({ status: 'ok', new: 5 });
  });
});
