// Every request-saving path of the benchmark scenarios returns what the plain path returns:
// pushdown off, no window splitting, no cache (each statement fetches everything and SQLite
// filters). Covers LIMIT pushdown, IN fan-out, a table referenced twice, the cache and splitting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../src/engine/engine.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import { startAzureSimulator } from '../../src/simulator/azure/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import type { AzureSimulator } from '../../src/simulator/azure/types.js';

const S = 'cloudconnexa.vpn.sessions';
const T0 = Date.parse('2025-06-02T12:00:00.000Z');
let cc: CloudConnexaSimulator;
let az: AzureSimulator;

beforeAll(async () => {
  cc = await startCloudConnexaSimulator({ seed: 7, sessions: 1500, historyDays: 7, now: () => T0 });
  az = await startAzureSimulator({
    subscriptions: 2,
    hostsPerSubscription: 6,
    lro: 'half',
    lroPolls: 0,
    retryAfterSeconds: 0,
    pageSize: 3,
    now: () => T0,
  });
});
afterAll(async () => {
  await cc.close();
  await az.close();
});

/** The fast engine uses every request-saving path, the creation-order window schedule included. */
function engine(opts: Partial<EngineOptions>) {
  return createEngine({
    env: {},
    now: () => T0,
    config: {
      cloudconnexa: { baseUrl: cc.url, clientId: cc.clientId, clientSecret: cc.clientSecret, pageOrder: opts === FAST ? 'created' : 'unknown' },
      azure: { resourceManagerUrl: az.url, accessToken: az.token },
    },
    fetch: { lroPollCapMs: 10, retryWaitCapMs: 10 },
    ...opts,
  });
}

const PLAIN: Partial<EngineOptions> = { pushdown: false, windowSplit: 1, cache: false };
const FAST: Partial<EngineOptions> = { cache: { ttlSeconds: 300 } };

async function both(sql: string): Promise<[unknown[][], unknown[][]]> {
  const plain = engine(PLAIN);
  const fast = engine(FAST);
  try {
    return [(await plain.query(sql)).rows, (await fast.query(sql)).rows];
  } finally {
    plain.close();
    fast.close();
  }
}

describe('the optimised paths return the plain path’s rows', () => {
  it.each([
    ['LIMIT pushdown', `SELECT id, userName, bytesIn FROM ${S} LIMIT 10`],
    ['IN fan-out', `SELECT status, count(*), sum(bytesIn) FROM ${S} WHERE status IN ('ACTIVE', 'FAILED') GROUP BY status ORDER BY status`],
    ['a table referenced twice', `SELECT count(*), sum(a.bytesIn) FROM ${S} a JOIN ${S} b ON a.id = b.id WHERE a.status = 'COMPLETED'`],
    ['window splitting (7 days)', `SELECT count(*), sum(bytesIn), count(DISTINCT id) FROM ${S} WHERE startDate = '2025-05-26T12:00:00Z'`],
    // the sub-window schedule: the probe page trims the window to where data starts, chains ask
    // for created sessions only (returnOnlyNew) and are cut when they fall behind
    [
      'window splitting, data in 7 of the 20 days asked',
      `SELECT count(*), sum(bytesIn), count(DISTINCT id) FROM ${S} WHERE startDate = '2025-05-13T12:00:00Z'`,
    ],
    [
      'window splitting with an end and a status',
      `SELECT id, status, bytesIn FROM ${S} WHERE startDate = '2025-05-27T00:00:00Z' AND endDate = '2025-06-01T00:00:00Z' AND status = 'ACTIVE' ORDER BY id`,
    ],
    [
      'fan-out through subscriptions and hosts',
      'SELECT count(*), group_concat(sessionId) FROM (SELECT sessionId FROM azure.network.active_sessions ORDER BY sessionId)',
    ],
  ])('%s', async (_name, sql) => {
    const [plain, fast] = await both(sql);
    expect(plain.length).toBeGreaterThan(0);
    expect(fast).toEqual(plain);
  });

  it('the split path really runs the sub-window schedule (chains asking for created sessions only)', async () => {
    const before = cc.requests.length;
    const [plain, fast] = await both(`SELECT count(*) FROM ${S} WHERE startDate = '2025-05-13T12:00:00Z'`);
    expect(fast).toEqual(plain);
    const chains = cc.requests.slice(before).filter((r) => r.path === '/api/v1/sessions' && r.query.returnOnlyNew === 'true');
    expect(chains.length).toBeGreaterThan(4);
  });

  it('a repeated statement is served by the cache, with the same rows and no request', async () => {
    const e = engine(FAST);
    try {
      const sql = `SELECT id, status FROM ${S} WHERE status = 'FAILED' ORDER BY id`;
      const first = await e.query(sql);
      const before = cc.requests.length;
      const again = await e.query(sql);
      expect(cc.requests.length).toBe(before);
      expect(again.stats.cacheHits).toBeGreaterThan(0);
      expect(again.rows).toEqual(first.rows);
    } finally {
      e.close();
    }
  });
});
