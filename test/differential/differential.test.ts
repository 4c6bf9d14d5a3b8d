// Differential suite: seeded analyst statements run through sessql against the simulators and
// through plain SQLite over the simulators' full data; any difference is a wrong answer. A quick
// subset runs in `npm test`; `npm run test:differential` runs thousands (SESSQL_DIFF_N, SESSQL_DIFF_SEED).
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { Catalog } from '../../src/manifest/catalog.js';
import { startAzureSimulator } from '../../src/simulator/azure/index.js';
import type { AzureSimulator } from '../../src/simulator/azure/types.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { rng, StatementGenerator, type Domain } from './generator.js';

const N = Number(process.env.SESSQL_DIFF_N ?? 150);
const SEED = Number(process.env.SESSQL_DIFF_SEED ?? 20261130);
const catalog = Catalog.load();

let cc: CloudConnexaSimulator;
let az: AzureSimulator;
let engine: Engine;
/** The same, with the creation-order window schedule (pageOrder: created): every other statement uses it. */
let ordered: Engine;
let oracle: Database.Database;
let domain: Domain;

/** SQLite's own timestamp text, the oracle's storage form. */
const sqliteTime = (iso: string) => iso.replace('T', ' ').replace('Z', '');

async function loadOracleTable(name: string, resourceId: string, sql: string): Promise<Record<string, unknown>[]> {
  const r = await engine.query(sql);
  const res = catalog.find(resourceId, () => ({}))!;
  const times = new Set(res.spec.columns.filter((c) => c.type === 'datetime').map((c) => c.name));
  // alias columns of parameters (snake_case spellings), unless a row column has the name already
  const aliases = Object.entries(res.spec.parameters).flatMap(([p, s]) =>
    s.aliases.filter((a) => !r.columns.includes(a)).map((a) => [a, p] as const),
  );
  const columns = [...r.columns, ...aliases.map(([a]) => a)];
  const affinity = (c: string) => {
    const col = res.spec.columns.find((x) => x.name === c);
    if (col) return col.type === 'integer' || col.type === 'boolean' ? 'INTEGER' : col.type === 'number' ? 'REAL' : 'TEXT';
    const t = res.spec.parameters[c]?.type;
    return t === 'integer' || t === 'boolean' ? 'INTEGER' : 'TEXT';
  };
  oracle.exec(`CREATE TABLE ${name} (${columns.map((c) => `"${c}" ${affinity(c)}`).join(', ')})`);
  const insert = oracle.prepare(`INSERT INTO ${name} VALUES (${columns.map(() => '?').join(', ')})`);
  const objects: Record<string, unknown>[] = [];
  for (const row of r.rows) {
    const values = row.map((v, i) => (times.has(r.columns[i]) && typeof v === 'string' ? sqliteTime(v) : v));
    const o = Object.fromEntries(r.columns.map((c, i) => [c, row[i]]));
    insert.run(...values, ...aliases.map(([, p]) => o[p] ?? null));
    objects.push(o);
  }
  return objects;
}

beforeAll(async () => {
  [cc, az] = await Promise.all([
    startCloudConnexaSimulator({ seed: 42, sessions: 600, historyDays: 20 }),
    startAzureSimulator({ seed: 7, retryAfterSeconds: 0 }),
  ]);
  const make = (pageOrder: string) =>
    createEngine({
      env: {},
      cache: false,
      config: {
        cloudconnexa: { baseUrl: cc.url, clientId: cc.clientId, clientSecret: cc.clientSecret, pageOrder },
        azure: { resourceManagerUrl: az.url, accessToken: az.token },
      },
      fetch: { retryWaitCapMs: 20, lroPollCapMs: 20 },
    });
  engine = make('unknown');
  ordered = make('created');
  oracle = new Database(':memory:');
  // the whole history the API can serve: every session of the simulator's 20 days
  const since = new Date(Date.now() - 29 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const sessions = await loadOracleTable(
    'sessions',
    'cloudconnexa.vpn.sessions',
    `SELECT * FROM cloudconnexa.vpn.sessions WHERE startDate = '${since}'`,
  );
  expect(sessions.length).toBe(600);
  const regions = await loadOracleTable('regions', 'cloudconnexa.vpn.regions', 'SELECT * FROM cloudconnexa.vpn.regions');
  await loadOracleTable('users', 'cloudconnexa.vpn.users', 'SELECT * FROM cloudconnexa.vpn.users');
  const bastion = await loadOracleTable('active_sessions', 'azure.network.active_sessions', 'SELECT * FROM azure.network.active_sessions');
  const distinct = (rows: Record<string, unknown>[], c: string) => [
    ...new Set(rows.map((r) => r[c]).filter((v): v is string => typeof v === 'string')),
  ];
  domain = {
    userNames: distinct(sessions, 'userName'),
    regions: distinct(regions, 'id'),
    starts: sessions.map((s) => Date.parse(String(s.sessionStartTime))),
    subscriptions: distinct(bastion, 'subscriptionId'),
    resourceGroups: [...distinct(bastion, 'resourceGroupName'), 'rg-none'],
    hosts: [...distinct(bastion, 'bastionHostName'), 'no-such-host'],
    protocols: ['RDP', 'SSH'],
    now: Date.now(),
  };
}, 120_000);

afterAll(async () => {
  engine?.close();
  ordered?.close();
  oracle?.close();
  await Promise.all([cc?.close(), az?.close()]);
});

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/;

/** Values made comparable: timestamps as instants, floats to 9 significant digits. */
function normalise(v: unknown): unknown {
  if (typeof v === 'string' && TIMESTAMP.test(v)) return new Date(Date.parse(v.endsWith('Z') ? v : `${v.replace(' ', 'T')}Z`)).toISOString();
  if (typeof v === 'number' && !Number.isInteger(v)) return Number(v.toPrecision(9));
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function rowsOf(rows: unknown[][], unordered: boolean): string[] {
  const out = rows.map((r) => JSON.stringify(r.map(normalise)));
  return unordered ? out.sort() : out;
}

describe('differential: sessql against plain SQLite over the full data', () => {
  it(`${N} generated statements (seed ${SEED}) give the same rows`, async () => {
    const gen = new StatementGenerator(rng(SEED), domain);
    const differences: string[] = [];
    const shapes = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const g = gen.next();
      shapes.set(g.shape, (shapes.get(g.shape) ?? 0) + 1);
      let got: unknown[][];
      try {
        got = (await (i % 2 ? ordered : engine).query(g.sessql)).rows;
      } catch (e) {
        differences.push(`#${i} ${g.shape}: sessql failed: ${(e as Error).message}\n  ${g.sessql}`);
        continue;
      }
      let want: unknown[][];
      try {
        want = oracle.prepare(g.oracle).raw(true).all() as unknown[][];
      } catch (e) {
        differences.push(`#${i} ${g.shape}: oracle failed: ${(e as Error).message}\n  ${g.oracle}`);
        continue;
      }
      const same = g.countOnly ? got.length === want.length : JSON.stringify(rowsOf(got, g.unordered)) === JSON.stringify(rowsOf(want, g.unordered));
      if (!same) {
        const a = rowsOf(got, g.unordered);
        const b = rowsOf(want, g.unordered);
        const k = a.findIndex((x, j) => x !== b[j]);
        differences.push(
          `#${i} ${g.shape}: sessql ${got.length} rows, SQLite ${want.length}; first difference: ${a[k]} vs ${b[k]}\n  ${g.sessql}\n  ${g.oracle}`,
        );
      }
    }
    if (process.env.SESSQL_DIFF_REPORT) console.log(`shapes: ${JSON.stringify(Object.fromEntries(shapes))}; differences: ${differences.length}`);
    expect(differences.slice(0, 5).join('\n')).toBe('');
    expect(differences).toHaveLength(0);
  }, 600_000);
});
