// Benchmark results: the row shape shared by every scenario, the printed table and the JSON file.
// Invariant: the table and bench-results.json are rendered from the same rows, never recomputed.

export interface BenchRow {
  /** Scenario name as accepted by --scenario (history-scan, quota, fan-out, …). */
  scenario: string;
  /** Which configuration of the scenario this row measures (sequential, default, …). */
  variant: string;
  /** Rows the statement returned or loaded (what the scenario counts as its rows). */
  rows: number | null;
  /** API requests the server received (token requests excluded). */
  requests: number | null;
  /** Wall time of the measured work, ms. */
  wallMs: number | null;
  /** The scenario's lower bound in ms (requests or fetches for fewest-requests: see lowerBoundUnit). */
  lowerBound: number | null;
  lowerBoundUnit: 'ms' | 'requests' | 'fetches';
  /** wall / lower bound (requests / expected requests for fewest-requests). */
  ratio: number | null;
  /** Peak resident set size in MB for the measured work (see rssSource). */
  peakRssMb: number | null;
  rssSource: 'child maxRSS' | 'sampled' | 'n/a';
  /** The target in words, and whether this run met it (null: informational row). */
  target: string;
  met: boolean | null;
  /** Everything else a scenario measured (engine stats, 429s, DB size, speed-up…). */
  details: Record<string, unknown>;
}

export interface BenchReport {
  startedAt: string;
  quick: boolean;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  durationMs: number;
  rows: BenchRow[];
}

export const TABLE_COLUMNS = ['scenario', 'variant', 'rows', 'API requests', 'wall', 'lower bound', 'ratio', 'peak RSS', 'target', 'met'] as const;

function ms(v: number | null): string {
  if (v === null) return '–';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
}

function cells(r: BenchRow): string[] {
  const unit = { ms: '', requests: ' req', fetches: ' fetch' }[r.lowerBoundUnit];
  const bound = r.lowerBound === null ? '–' : r.lowerBoundUnit === 'ms' ? ms(r.lowerBound) : `${r.lowerBound}${unit}`;
  return [
    r.scenario,
    r.variant,
    r.rows === null ? '–' : r.rows.toLocaleString('en-US'),
    r.requests === null ? '–' : String(r.requests),
    ms(r.wallMs),
    bound,
    r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`,
    r.peakRssMb === null ? '–' : `${Math.round(r.peakRssMb)} MB`,
    r.target,
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ];
}

/** A plain aligned text table (stdout); numbers right-aligned. */
export function formatTable(rows: BenchRow[]): string {
  const body = rows.map(cells);
  const all = [[...TABLE_COLUMNS], ...body];
  const widths = TABLE_COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const right = new Set([2, 3, 4, 5, 6, 7]);
  const line = (r: string[]) =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function toJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Rounds measured figures for printing and JSON (keeps two decimals of ms, three of ratios). */
export function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
