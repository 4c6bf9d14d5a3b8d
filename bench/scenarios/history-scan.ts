// Scenario 1, latency-bound history scan: a 7-day window of CloudConnexa sessions read by
// sequential cursor paging (windowSplit 1, what the Terraform data source does) and by concurrent
// sub-windows de-duplicated by id. Invariant: every variant must return the same (count, sum).
import { Catalog } from '../../src/manifest/catalog.js';
import { latencyBound } from '../lower-bound.js';
import { ccEngine, DAY_MS, isoSeconds, measure, row, type BenchContext } from '../common.js';
import { startSim } from '../sim-host.js';
import type { BenchRow } from '../report.js';

const PAGE_SIZE = 100;

interface Variant {
  name: string;
  windowSplit?: number;
  concurrency?: number;
  /** Counts towards the scenario's target (the default configuration). */
  judged: boolean;
}

/** The CloudConnexa manifest's concurrency: what the default run uses for requests in flight and sub-windows. */
const DEFAULT_CONCURRENCY = Catalog.load().providers.get('cloudconnexa')!.spec.concurrency;

const VARIANTS: Variant[] = [
  { name: 'sequential (windowSplit 1)', windowSplit: 1, judged: false },
  { name: `default (${DEFAULT_CONCURRENCY} sub-windows, ${DEFAULT_CONCURRENCY} in flight)`, judged: true },
  { name: 'narrow (4 sub-windows, 4 in flight)', windowSplit: 4, concurrency: 4, judged: false },
  { name: 'wide (16 sub-windows, 16 in flight)', windowSplit: 16, concurrency: 16, judged: false },
];

interface Measured {
  v: Variant;
  count: number;
  sum: number;
  wallMs: number;
  requests: number;
  rss: number;
  stats: object;
  clientCpuMs: number;
  serverCpuMs: number | null;
  /** Pages of the sub-window with the most: its cursor chain is sequential. */
  longestChain: number;
}

export async function historyScan(ctx: BenchContext): Promise<BenchRow[]> {
  const sessions = ctx.quick ? 2_000 : 100_000;
  const latencyMs = ctx.quick ? 5 : 20;
  const sim = await startSim({ kind: 'cloudconnexa', options: { sessions, historyDays: 7, latencyMs } }, ctx.simMode);
  const sql = `SELECT count(*), sum(bytesIn) FROM cloudconnexa.vpn.sessions WHERE startDate = '${isoSeconds(Date.now() - 7 * DAY_MS)}'`;
  const results: Measured[] = [];
  try {
    for (const v of VARIANTS) {
      await sim.reset();
      const engine = ccEngine(sim, {
        windowSplit: v.windowSplit,
        fetch: v.concurrency ? { concurrency: v.concurrency } : undefined,
      });
      try {
        ctx.log(`history-scan: ${v.name}`);
        const m = await measure(() => engine.query(sql));
        const [count, sum] = m.value.rows[0] as [number, number];
        const summary = await sim.summary();
        results.push({
          v,
          count,
          sum,
          wallMs: m.wallMs,
          requests: summary.apiRequests,
          rss: m.peakRssMb,
          stats: m.value.stats,
          clientCpuMs: m.cpuMs,
          serverCpuMs: summary.serverCpuMs,
          longestChain: Math.max(...Object.values(summary.windows)),
        });
      } finally {
        engine.close();
      }
    }
  } finally {
    await sim.close();
  }
  const seq = results[0];
  // The pages a whole-window scan needs: the work every variant must at least do.
  const pages = Math.max(1, Math.ceil(seq.count / PAGE_SIZE));
  return results.map((r, i) => {
    const sequential = i === 0;
    const concurrency = r.v.concurrency ?? DEFAULT_CONCURRENCY;
    const bound = sequential ? pages * latencyMs : latencyBound(pages, concurrency, latencyMs);
    const ratio = r.wallMs / bound;
    const speedup = seq.wallMs / r.wallMs;
    const identical = r.count === seq.count && r.sum === seq.sum;
    return row({
      scenario: 'history-scan',
      variant: r.v.name,
      rows: r.count,
      requests: r.requests,
      wallMs: r.wallMs,
      lowerBound: bound,
      ratio,
      peakRssMb: r.rss,
      rssSource: 'sampled',
      target: sequential ? 'baseline (1 request at a time)' : `≥6× sequential, ≤1.5× bound, same rows (${speedup.toFixed(1)}×${identical ? ', same' : ', DIFFERENT'})`,
      met: sequential ? null : r.v.judged ? speedup >= 6 && ratio <= 1.5 && identical : null,
      details: {
        sessions,
        latencyMs,
        concurrency,
        windowSplit: r.v.windowSplit ?? 'default',
        pagesNeeded: pages,
        speedupVsSequential: speedup,
        identical,
        sumBytesIn: r.sum,
        /** Pages of the longest sub-window: its cursor chain is sequential, so wall ≥ this × latency. */
        longestChainPages: r.longestChain,
        longestChainBoundMs: r.longestChain * latencyMs,
        clientCpuMs: r.clientCpuMs,
        clientCpuMsPerPage: r.clientCpuMs / r.requests,
        serverCpuMs: r.serverCpuMs,
        engineStats: r.stats,
        sql,
      },
    });
  });
}
