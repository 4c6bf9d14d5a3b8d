// Scenario 3, fan-out: Azure subscriptions → Bastion hosts → getActiveSessions, half the hosts
// answering 202 + Retry-After, every call paying latency. Invariant: the statement binds nothing
// (env: {}), so the engine itself lists subscriptions and hosts, overlapping the hosts' polls.
import { Catalog } from '../../src/manifest/catalog.js';
import { fanOutBound } from '../lower-bound.js';
import { azEngine, measure, row, type BenchContext } from '../common.js';
import { startSim, type SimHandle } from '../sim-host.js';
import type { BenchRow } from '../report.js';

interface Variant {
  name: string;
  concurrency?: number;
  judged: boolean;
}

/** The Azure manifest's concurrency, used by the default run. */
const DEFAULT_CONCURRENCY = Catalog.load().providers.get('azure')!.spec.concurrency;

const VARIANTS: Variant[] = [
  { name: `default (${DEFAULT_CONCURRENCY} in flight)`, judged: true },
  { name: '8 in flight', concurrency: 8, judged: false },
];

export async function fanOut(ctx: BenchContext): Promise<BenchRow[]> {
  const shape = ctx.quick
    ? { subscriptions: 1, hostsPerSubscription: 6, latencyMs: 5, retryAfterSeconds: 0 }
    : { subscriptions: 3, hostsPerSubscription: 40, latencyMs: 30, retryAfterSeconds: 1 };
  const pageSize = 50;
  const sim = await startSim(
    // lroPolls 0: after the first Retry-After the operation has Succeeded, so every LRO host
    // costs exactly one wait (the bound in lower-bound.ts assumes one)
    { kind: 'azure', options: { ...shape, sessionsPerHost: [0, 8], lro: 'half', lroPolls: 0, pageSize } },
    ctx.simMode,
  );
  try {
    const rows: BenchRow[] = [];
    for (const v of VARIANTS) rows.push(await runVariant(ctx, sim, shape, pageSize, v));
    return rows;
  } finally {
    await sim.close();
  }
}

async function runVariant(
  ctx: BenchContext,
  sim: SimHandle,
  shape: { subscriptions: number; hostsPerSubscription: number; latencyMs: number; retryAfterSeconds: number },
  pageSize: number,
  v: Variant,
): Promise<BenchRow> {
  const concurrency = v.concurrency ?? DEFAULT_CONCURRENCY;
  const polls: number[] = [];
  await sim.reset();
  const engine = azEngine(sim, {
    fetch: v.concurrency ? { concurrency: v.concurrency } : undefined,
    onEvent: (e) => {
      if (e.kind === 'lro-poll') polls.push(e.waitMs);
    },
  });
  try {
    ctx.log(`fan-out: ${v.name}`);
    const m = await measure(() => engine.query('SELECT count(*) FROM azure.network.active_sessions'));
    const summary = await sim.summary();
    const expectedSessions = sim.facts.hosts!.reduce((a, [, n]) => a + n, 0);
    const count = m.value.rows[0][0] as number;
    const b = fanOutBound({
      latencyMs: shape.latencyMs,
      concurrency,
      retryAfterMs: shape.retryAfterSeconds * 1000,
      subscriptions: shape.subscriptions,
      hostsPerSubscription: shape.hostsPerSubscription,
      hosts: sim.facts.hosts!,
      pageSize,
    });
    const ratio = m.wallMs / b.boundMs;
    const waitTotal = polls.reduce((a, x) => a + x, 0);
    return row({
      scenario: 'fan-out',
      variant: `${v.name}: ${shape.subscriptions} subs × ${shape.hostsPerSubscription} hosts, half 202`,
      rows: count,
      requests: summary.apiRequests,
      wallMs: m.wallMs,
      lowerBound: b.boundMs,
      ratio,
      peakRssMb: m.peakRssMb,
      rssSource: 'sampled',
      target: `≤1.5× bound, polls overlapped (${polls.length} polls${count === expectedSessions ? '' : ', WRONG count'})`,
      met: v.judged
        ? ratio <= 1.5 && count === expectedSessions && (polls.length < 2 || waitTotal > m.wallMs || shape.retryAfterSeconds === 0)
        : null,
      details: {
        ...shape,
        pageSize,
        concurrency,
        hosts: sim.facts.hosts!.length,
        lroHosts: sim.facts.hosts!.filter(([lro]) => lro).length,
        expectedSessions,
        minimalRequests: b.requests,
        criticalPathMs: b.criticalMs,
        throughputBoundMs: b.throughputMs,
        lroPollWaits: polls.length,
        lroPollWaitMsTotal: waitTotal,
        /** > 1 means the polls' waits overlapped each other (sum of waits exceeds the wall time). */
        pollOverlap: m.wallMs > 0 ? waitTotal / m.wallMs : 0,
        byKind: summary.byKind,
        engineStats: m.value.stats,
      },
    });
  } finally {
    engine.close();
  }
}
