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
  { name: `default (${DEFAULT_CONCURRENCY} slots)`, judged: true },
  { name: '8 slots (8 sub-windows, 8 in flight)', windowSplit: 8, concurrency: 8, judged: false },
];

/**
 * The window asked for and where the data is: the whole window, or only its last part (the
 * schedule must not leave slots idle on the empty part).
 */
interface Case {
  label: string;
  sessions: number;
  /** Days of data, ending now. */
  dataDays: number;
  /** Days the statement asks for, ending now. */
  askDays: number;
}

const CASES: Case[] = [
  { label: '', sessions: 100_000, dataDays: 7, askDays: 7 },
  { label: 'partial data (3 of 7 days)', sessions: 40_000, dataDays: 3, askDays: 7 },
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
  const out: BenchRow[] = [];
  for (const c of CASES) out.push(...(await runCase(ctx, c)));
  return out;
}

async function runCase(ctx: BenchContext, c: Case): Promise<BenchRow[]> {
  const sessions = ctx.quick ? Math.round(c.sessions / 50) : c.sessions;
  const latencyMs = ctx.quick ? 5 : 20;
  const sim = await startSim({ kind: 'cloudconnexa', options: { sessions, historyDays: c.dataDays, latencyMs } }, ctx.simMode);
  const sql = `SELECT count(*), sum(bytesIn) FROM cloudconnexa.vpn.sessions WHERE startDate = '${isoSeconds(Date.now() - c.askDays * DAY_MS)}'`;
  const results: Measured[] = [];
  try {
    for (const v of VARIANTS) {
      await sim.reset();
      const engine = ccEngine(sim, {
        windowSplit: v.windowSplit,
        fetch: v.concurrency ? { concurrency: v.concurrency } : undefined,
      });
      try {
        ctx.log(`history-scan: ${c.label || 'whole window'}: ${v.name}`);
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
  // The pages a whole-window scan needs (sequential paging fetches each row once).
  const pages = Math.max(1, Math.ceil(seq.count / PAGE_SIZE));
  const prefix = c.label ? `${c.label}: ` : '';
  return results.map((r, i) => {
    const sequential = i === 0;
    const concurrency = r.v.concurrency ?? DEFAULT_CONCURRENCY;
    // The pages this schedule really fetched: the probe alone, then the rest `concurrency` at a time.
    const bound = sequential ? r.requests * latencyMs : latencyMs + latencyBound(Math.max(0, r.requests - 1), concurrency, latencyMs);
    const ratio = r.wallMs / bound;
    const speedup = seq.wallMs / r.wallMs;
    const identical = r.count === seq.count && r.sum === seq.sum;
    return row({
      scenario: 'history-scan',
      variant: `${prefix}${r.v.name}`,
      rows: r.count,
      requests: r.requests,
      wallMs: r.wallMs,
      lowerBound: bound,
      ratio,
      peakRssMb: r.rss,
      rssSource: 'sampled',
      target: sequential
        ? 'baseline (1 request at a time)'
        : `≥5× sequential, ≤1.3× bound, same rows (${speedup.toFixed(1)}×${identical ? ', same' : ', DIFFERENT'})`,
      met: sequential ? null : r.v.judged ? speedup >= 5 && ratio <= 1.3 && identical : null,
      details: {
        sessions,
        dataDays: c.dataDays,
        askDays: c.askDays,
        latencyMs,
        concurrency,
        windowSplit: r.v.windowSplit ?? 'default',
        pagesNeeded: pages,
        pagesFetched: r.requests,
        /** ceil(pages needed / concurrency) × latency: the bound of a schedule that fetched no page twice. */
        wholeWindowBoundMs: sequential ? pages * latencyMs : latencyBound(pages, concurrency, latencyMs),
        speedupVsSequential: speedup,
        identical,
        sumBytesIn: r.sum,
        /** Pages of the longest cursor chain (sub-window): sequential, so wall ≥ this × latency. */
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
