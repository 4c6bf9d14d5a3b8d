// Scenario 4, fewest requests: LIMIT pushed into paging (one request), IN fanned out into one
// fetch per value, one fetch for a table referenced twice, and none for a repeated statement
// (the result cache). Invariant: counts come from the simulator's own log, not the engine's stats.
import { ccEngine, measure, row, type BenchContext } from '../common.js';
import { startSim, type SimHandle } from '../sim-host.js';
import type { BenchRow } from '../report.js';
import type { Engine } from '../../src/engine/engine.js';

const S = 'cloudconnexa.vpn.sessions';

interface Case {
  variant: string;
  sql: string;
  /** What is counted and the count expected. */
  unit: 'requests' | 'fetches';
  expected: number;
  /** Run the statement this many times in one engine (cache on); the last run is measured. */
  runs?: number;
}

const CASES: Case[] = [
  { variant: 'LIMIT 10', sql: `SELECT id, userName, status FROM ${S} LIMIT 10`, unit: 'requests', expected: 1 },
  {
    variant: "status IN ('ACTIVE','FAILED')",
    sql: `SELECT status, count(*) FROM ${S} WHERE status IN ('ACTIVE', 'FAILED') GROUP BY status`,
    unit: 'fetches',
    expected: 2,
  },
  { variant: 'same table twice (self-join)', sql: `SELECT count(*) FROM ${S} a JOIN ${S} b ON a.id = b.id`, unit: 'fetches', expected: 1 },
  { variant: 'repeated statement (cache)', sql: `SELECT count(*) FROM ${S} WHERE status = 'COMPLETED'`, unit: 'requests', expected: 0, runs: 2 },
];

export async function fewestRequests(ctx: BenchContext): Promise<BenchRow[]> {
  const sim = await startSim({ kind: 'cloudconnexa', options: { sessions: ctx.quick ? 600 : 5_000, historyDays: 7, latencyMs: 0 } }, ctx.simMode);
  try {
    const rows: BenchRow[] = [];
    for (const c of CASES) rows.push(await runCase(ctx, sim, c));
    return rows;
  } finally {
    await sim.close();
  }
}

async function runCase(ctx: BenchContext, sim: SimHandle, c: Case): Promise<BenchRow> {
  ctx.log(`fewest-requests: ${c.variant}`);
  const engine: Engine = ccEngine(sim, { cache: c.runs ? { ttlSeconds: 300 } : false });
  try {
    for (let i = 1; i < (c.runs ?? 1); i++) await engine.query(c.sql);
    await sim.reset();
    const m = await measure(() => engine.query(c.sql));
    const summary = await sim.summary();
    const actual = c.unit === 'requests' ? summary.apiRequests : m.value.stats.fetches;
    return row({
      scenario: 'fewest-requests',
      variant: c.variant,
      rows: m.value.rows.length,
      requests: summary.apiRequests,
      wallMs: m.wallMs,
      lowerBound: c.expected,
      lowerBoundUnit: c.unit,
      ratio: c.expected === 0 ? (actual === 0 ? 1 : null) : actual / c.expected,
      target: `exactly ${c.expected} ${unitName(c.unit, c.expected)} (got ${actual})`,
      met: actual === c.expected,
      details: { sql: c.sql, unit: c.unit, expected: c.expected, actual, engineStats: m.value.stats },
    });
  } finally {
    engine.close();
  }
}

function unitName(unit: Case['unit'], n: number): string {
  if (unit === 'requests') return n === 1 ? 'request' : 'requests';
  return n === 1 ? 'fetch' : 'fetches';
}
