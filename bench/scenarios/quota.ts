// Scenario 2, quota-bound: CloudConnexa's documented token bucket (burst 20, a token per period;
// 1 s here) before a 3,000-session window: zero 429s, paced from X-RateLimit-* headers. Invariant:
// each variant starts with a full bucket (a fresh simulator on one clock anchor: the same data).
import { bucketBound, type Bucket } from '../lower-bound.js';
import { ccEngine, DAY_MS, isoSeconds, measure, row, type BenchContext } from '../common.js';
import { startSim } from '../sim-host.js';
import type { BenchRow } from '../report.js';

const PAGE_SIZE = 100;

interface Variant {
  name: string;
  windowSplit?: number;
  judged: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'default (probe, then split only if not quota-bound)', judged: true },
  { name: 'sequential (windowSplit 1)', windowSplit: 1, judged: false },
];

export async function quota(ctx: BenchContext): Promise<BenchRow[]> {
  const sessions = ctx.quick ? 300 : 3_000;
  const latencyMs = ctx.quick ? 5 : 20;
  // quick: a bucket the few requests never exhaust (the smoke test must not wait out refills)
  const bucket: Bucket = ctx.quick ? { burst: 10, rate: 1, periodMs: 1000 } : { burst: 20, rate: 1, periodMs: 1000 };
  const anchor = Date.now();
  const sql = `SELECT count(*), sum(bytesIn) FROM cloudconnexa.vpn.sessions WHERE startDate = '${isoSeconds(anchor - 7 * DAY_MS)}'`;
  const results = [];
  for (const v of VARIANTS) {
    const sim = await startSim(
      {
        kind: 'cloudconnexa',
        clockAnchorMs: anchor,
        options: {
          sessions,
          historyDays: 7,
          latencyMs,
          rateLimit: { burst: bucket.burst, replenishRate: bucket.rate, replenishTimeSeconds: bucket.periodMs / 1000 },
        },
      },
      ctx.simMode,
    );
    const waits: number[] = [];
    const engine = ccEngine(sim, {
      windowSplit: v.windowSplit,
      onEvent: (e) => {
        if (e.kind === 'rate-limit-wait') waits.push(e.waitMs);
      },
    });
    try {
      ctx.log(`quota: ${v.name}`);
      const m = await measure(() => engine.query(sql));
      const [count, sum] = m.value.rows[0] as [number, number];
      results.push({ v, count, sum, m, summary: await sim.summary(), waits });
    } finally {
      engine.close();
      await sim.close();
    }
  }
  const base = results.find((r) => r.v.windowSplit === 1) ?? results[0];
  const pages = Math.max(1, Math.ceil(base.count / PAGE_SIZE));
  return results.map((r) => {
    const bound = bucketBound(pages, bucket, latencyMs, 4);
    const ownBound = bucketBound(r.summary.apiRequests, bucket, latencyMs, 4);
    const ratio = r.m.wallMs / bound;
    const identical = r.count === base.count && r.sum === base.sum;
    const zero429 = r.summary.throttled === 0;
    return row({
      scenario: 'quota',
      variant: r.v.name,
      rows: r.count,
      requests: r.summary.apiRequests,
      wallMs: r.m.wallMs,
      lowerBound: bound,
      ratio,
      peakRssMb: r.m.peakRssMb,
      rssSource: 'sampled',
      target: `0×429, ≤1.1× bucket (${r.summary.throttled}×429${identical ? '' : ', DIFFERENT rows'})`,
      met: r.v.judged ? zero429 && ratio <= 1.1 && identical : null,
      details: {
        sessions,
        latencyMs,
        bucket,
        pagesNeeded: pages,
        responses429: r.summary.throttled,
        boundForRequestsMadeMs: ownBound,
        ratioToRequestsMade: r.m.wallMs / ownBound,
        paceWaits: r.waits.length,
        paceWaitMsTotal: r.waits.reduce((a, b) => a + b, 0),
        identical,
        engineStats: r.m.value.stats,
        sql,
      },
    });
  });
}
