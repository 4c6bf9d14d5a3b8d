// Shared pieces of the benchmark scenarios: the run context, engines wired to a simulator, wall
// time and sampled peak RSS. Invariant: every engine here runs cold (cache off) unless a scenario
// measures the cache itself, and never reads provider settings from the environment.
import { createEngine, type Engine, type EngineOptions } from '../src/engine/engine.js';
import type { SimHandle } from './sim-host.js';
import type { BenchRow } from './report.js';

export interface BenchContext {
  quick: boolean;
  /** Where simulators run: a child process (from dist/) or inline (smoke test). */
  simMode: 'process' | 'inline';
  /** Where scenario 5's loads run: child processes (true peak RSS) or inline (smoke test). */
  childProcesses: boolean;
  log(message: string): void;
}

export type Scenario = (ctx: BenchContext) => Promise<BenchRow[]>;

export const DAY_MS = 86_400_000;

export function ccEngine(sim: SimHandle, extra: Partial<EngineOptions> = {}): Engine {
  return createEngine({
    env: {},
    cache: false,
    ...extra,
    // the simulator serves a window's sessions in creation order: the finer schedule applies
    config: { cloudconnexa: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, pageOrder: 'created' } },
  });
}

export function azEngine(sim: SimHandle, extra: Partial<EngineOptions> = {}): Engine {
  return createEngine({
    env: {},
    cache: false,
    ...extra,
    config: { azure: { resourceManagerUrl: sim.url, accessToken: sim.token } },
  });
}

/** An ISO instant on a whole second, as the APIs document. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export interface Measured<T> {
  value: T;
  wallMs: number;
  /** CPU this process used meanwhile (user + system), ms. */
  cpuMs: number;
  /** Highest RSS sampled every 20 ms while `fn` ran, MB. */
  peakRssMb: number;
}

/** Runs `fn`, timing it and sampling this process's RSS. */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await fn();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function row(partial: Partial<BenchRow> & Pick<BenchRow, 'scenario' | 'variant' | 'target'>): BenchRow {
  return {
    rows: null,
    requests: null,
    wallMs: null,
    lowerBound: null,
    lowerBoundUnit: 'ms',
    ratio: null,
    peakRssMb: null,
    rssSource: 'n/a',
    met: null,
    details: {},
    ...partial,
  };
}
