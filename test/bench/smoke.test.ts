// Smoke test of the benchmark harness (`npm run bench --quick` sizes, in-process): every scenario
// produces rows, the printed table has its columns, and the JSON has the documented shape. Timing
// targets are not checked here — only that the harness works and the scenarios' results agree.
import { describe, expect, it } from 'vitest';
import { runBench, SCENARIOS } from '../../bench/run.js';
import { formatTable, TABLE_COLUMNS, toJson, type BenchReport } from '../../bench/report.js';
import { bucketBound, fanOutBound, latencyBound } from '../../bench/lower-bound.js';

describe('bench harness (quick sizes)', () => {
  let report: BenchReport;

  it('runs every scenario', async () => {
    report = await runBench({ quick: true, log: () => undefined });
    const scenarios = new Set(report.rows.map((r) => r.scenario));
    expect([...scenarios].sort()).toEqual(Object.keys(SCENARIOS).sort());
    expect(report.rows.filter((r) => r.variant === 'ERROR')).toEqual([]);
  }, 60_000);

  it('prints a table with the issue columns', () => {
    const table = formatTable(report.rows).split('\n');
    for (const c of ['scenario', 'rows', 'API requests', 'wall', 'lower bound', 'ratio', 'peak RSS']) expect(table[0]).toContain(c);
    expect(TABLE_COLUMNS.length).toBe(10);
    expect(table).toHaveLength(report.rows.length + 2);
  });

  it('writes the JSON shape', () => {
    const json = JSON.parse(toJson(report)) as BenchReport;
    expect(json).toMatchObject({ quick: true, node: process.version, cpus: expect.any(Number), durationMs: expect.any(Number) });
    for (const r of json.rows) {
      expect(Object.keys(r).sort()).toEqual(
        [
          'details',
          'lowerBound',
          'lowerBoundUnit',
          'met',
          'peakRssMb',
          'ratio',
          'requests',
          'rows',
          'rssSource',
          'scenario',
          'target',
          'variant',
          'wallMs',
        ].sort(),
      );
      expect(['ms', 'requests', 'fetches']).toContain(r.lowerBoundUnit);
    }
  });

  it('the scenarios agree with themselves: same rows with and without splitting, no 429, exact request counts', () => {
    const rows = (s: string) => report.rows.filter((r) => r.scenario === s);
    const scan = rows('history-scan');
    expect(scan.length).toBeGreaterThanOrEqual(2);
    const floors = scan.filter((r) => r.variant.includes('bare client floor'));
    // each case measures the machine's floor for its pages too: every page walked, once
    expect(floors).toHaveLength(2);
    for (const r of floors) expect(r.requests).toBeGreaterThan(0);
    for (const r of scan.filter((x) => !floors.includes(x))) expect(r.details.identical).toBe(true);
    for (const r of rows('quota')) expect(r.details.responses429).toBe(0);
    for (const r of rows('fewest-requests')) expect(r.met).toBe(true);
    expect(rows('fan-out')[0].rows).toBe(rows('fan-out')[0].details.expectedSessions);
    for (const r of rows('local-engine').filter((x) => x.details.sameRowsAsBare !== undefined)) expect(r.details.sameRowsAsBare).toBe(true);
  });
});

describe('lower bounds', () => {
  it('latency-bound: ceil(pages / concurrency) × latency', () => {
    expect(latencyBound(1000, 4, 20)).toBe(5000);
    expect(latencyBound(1001, 4, 20)).toBe(5020);
    expect(latencyBound(10, 1, 20)).toBe(200);
  });

  it('quota-bound: the burst at once, then one period per token, plus the last round trip', () => {
    const bucket = { burst: 20, rate: 1, periodMs: 1000 };
    expect(bucketBound(30, bucket, 20, 4)).toBe(10_020);
    expect(bucketBound(20, bucket, 20, 4)).toBe(100); // within the burst: latency-bound
    expect(bucketBound(35, { ...bucket, rate: 2 }, 0, 4)).toBe(8000);
  });

  it('fan-out: the longer of the critical path and the request throughput', () => {
    const b = fanOutBound({
      latencyMs: 30,
      concurrency: 8,
      retryAfterMs: 1000,
      subscriptions: 3,
      hostsPerSubscription: 40,
      pageSize: 50,
      hosts: [
        [false, 3],
        [true, 8],
        [false, 60],
      ],
    });
    // 1 subscriptions page + 3 host pages + (1) + (1 + 2) + (1 + 1 extra page)
    expect(b.requests).toBe(10);
    expect(b.criticalMs).toBe(2 * 30 + 3 * 30 + 1000);
    expect(b.boundMs).toBe(b.criticalMs);
  });
});
