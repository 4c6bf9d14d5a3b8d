// Scenario: history. A backfill sync of N CloudConnexa sessions into a SQLite file and into
// PostgreSQL (COPY and batched INSERT staging), against a bare load of the same window into the
// in-memory SQLite in the same run; then queries over the N history rows (all of them, and one day
// of them, which the history database's own WHERE narrows). PostgreSQL rows need
// SESSQL_BENCH_PG_URL or SESSQL_TEST_PG_URL (a schema is created and dropped); without one they are
// skipped and said so. Invariant: every sync must store exactly the bare load's row count.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { openHistoryStore } from '../../src/history/open.js';
import { HistorySource } from '../../src/history/source.js';
import type { HistoryStore } from '../../src/history/store.js';
import { syncOnce } from '../../src/history/sync.js';
import { historyTable } from '../../src/history/table.js';
import type { LoadMethod } from '../../src/history/postgres.js';
import { ccEngine, DAY_MS, isoSeconds, measure, row, type BenchContext } from '../common.js';
import { startSim } from '../sim-host.js';
import type { BenchRow } from '../report.js';

const S = 'cloudconnexa.vpn.sessions';

async function pgTarget(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const pgm = createRequire(import.meta.url)('pg') as typeof pg;
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  const c = new pgm.Client({ connectionString: base });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pgm.Client({ connectionString: base });
      await d.connect();
      await d.query(`DROP SCHEMA ${schema} CASCADE`);
      await d.end();
    },
  };
}

export async function historySync(ctx: BenchContext): Promise<BenchRow[]> {
  const n = ctx.quick ? 3_000 : Number(process.env.SESSQL_BENCH_HISTORY_SESSIONS ?? 1_000_000);
  const pgBase = process.env.SESSQL_BENCH_PG_URL ?? process.env.SESSQL_TEST_PG_URL;
  const rows: BenchRow[] = [];
  // 29 days: the whole data set lies inside the API's 30-day window the backfill reaches
  const sim = await startSim({ kind: 'cloudconnexa', options: { sessions: n, historyDays: 29 } }, ctx.simMode);
  const dir = mkdtempSync(join(tmpdir(), 'sessql-bench-history-'));
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const since = isoSeconds(Date.now() - 29.9 * DAY_MS);
    ctx.log(`history-sync: bare load of ${n} sessions`);
    const bare = await measure(() => queryOnce(ccEngine(sim), `SELECT count(*) FROM ${S} WHERE startDate = '${since}'`));
    const bareRows = bare.value.rows[0][0] as number;
    const bareRate = bareRows / (bare.wallMs / 1000);
    rows.push(
      row({
        scenario: 'history-sync',
        variant: 'bare load (fetch + in-memory SQLite)',
        rows: bareRows,
        requests: bare.value.stats.requests,
        wallMs: bare.wallMs,
        peakRssMb: bare.peakRssMb,
        rssSource: 'sampled',
        target: 'reference for the syncs',
        details: { rowsPerSecond: Math.round(bareRate) },
      }),
    );

    const targets: Array<{ name: string; url: string; load?: LoadMethod }> = [{ name: 'SQLite file', url: join(dir, 'history.db') }];
    if (pgBase) {
      for (const load of ['copy', 'insert'] as LoadMethod[]) {
        const t = await pgTarget(pgBase);
        cleanups.push(t.drop);
        targets.push({ name: `PostgreSQL (${load === 'copy' ? 'COPY' : 'batched INSERT'})`, url: t.url, load });
      }
    } else {
      ctx.log('history-sync: SESSQL_BENCH_PG_URL / SESSQL_TEST_PG_URL not set: PostgreSQL rows skipped');
    }
    for (const t of targets) {
      ctx.log(`history-sync: sync into ${t.name}`);
      const store = await openHistoryStore(t.url, { loadMethod: t.load });
      const engine = ccEngine(sim);
      try {
        const m = await measure(() => syncOnce({ engine, store, tables: [S] }));
        const r = m.value[0];
        const rate = r.rows / (m.wallMs / 1000);
        rows.push(
          row({
            scenario: 'history-sync',
            variant: `sync into ${t.name}`,
            rows: r.new,
            requests: r.requests,
            wallMs: m.wallMs,
            peakRssMb: m.peakRssMb,
            rssSource: 'sampled',
            ratio: Number((rate / bareRate).toFixed(2)),
            target: 'stores every row of the bare load',
            met: r.status === 'ok' && r.new === bareRows,
            details: {
              rowsPerSecond: Math.round(rate),
              vsBareLoad: `${((rate / bareRate) * 100).toFixed(0)}%`,
              status: r.status,
              error: r.error?.message,
              sizeMb: t.load ? undefined : Math.round(statSync(t.url).size / 2 ** 20),
            },
          }),
        );
        const def = historyTable(engine.resolve(S))!;
        rows.push(...(await queries(t.name, t.url, bareRows, def.resourceId)));
      } finally {
        engine.close();
        await store.close();
      }
    }
  } finally {
    for (const c of cleanups) await c().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
  return rows;
}

async function queryOnce(engine: Engine, sql: string) {
  try {
    return await engine.query(sql);
  } finally {
    engine.close();
  }
}

/** Queries over the synced history through --db: all rows, and the last day (pushed down). */
async function queries(name: string, url: string, total: number, table: string): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const day = new Date(Date.now() - DAY_MS).toISOString();
  for (const [variant, sql] of [
    [
      'top users over all history',
      `SELECT userName, count(*) AS n, sum(bytesIn + bytesOut) AS bytes FROM ${table} GROUP BY userName ORDER BY bytes DESC LIMIT 10`,
    ],
    ['the last day (time bound pushed down)', `SELECT count(*) FROM ${table} WHERE sessionStartTime >= '${day}'`],
  ] as const) {
    const store: HistoryStore = await openHistoryStore(url);
    const engine = createEngine({ env: {}, history: new HistorySource(store) });
    try {
      const m = await measure(() => engine.query(sql));
      out.push(
        row({
          scenario: 'history-sync',
          variant: `query ${name}: ${variant}`,
          rows: m.value.stats.rowsFetched,
          wallMs: m.wallMs,
          peakRssMb: m.peakRssMb,
          rssSource: 'sampled',
          target: `over ${total} history rows`,
          details: { historyRowsRead: m.value.stats.rowsFetched, resultRows: m.value.rows.length },
        }),
      );
    } finally {
      engine.close();
    }
  }
  return out;
}
