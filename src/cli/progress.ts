// The progress line on stderr while a statement has run for about a second, fed by the engine's
// fetch events (requests, pages, rows, elapsed, rate-limit waits). Invariants: drawn only on a
// terminal, one line that never wraps, erased when the statement ends (before its result prints).
import type { FetchEvent } from '../fetch/types.js';
import { QuotaEstimates } from '../fetch/quota-estimate.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Time source and repeating timer (injected in tests). */
export interface ProgressClock {
  now(): number;
  every(ms: number, fn: () => void): () => void;
}

export const systemClock: ProgressClock = {
  now: Date.now,
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

export interface ProgressOptions {
  clock?: ProgressClock;
  /** How long a statement runs before the line appears (default 1000 ms). */
  delayMs?: number;
  /** Redraw interval (default 200 ms). */
  intervalMs?: number;
}

const ERASE = '\r\u001b[2K';

interface Counts {
  requests: number;
  pages: number;
  rows: number;
  retries: number;
}

export class Progress {
  private counts: Counts = { requests: 0, pages: 0, rows: 0, retries: 0 };
  private readonly resources = new Set<string>();
  private waitUntil = 0;
  private waitReason = '';
  private readonly estimates = new QuotaEstimates();
  private started?: number;
  private cancelTimer?: () => void;
  private drawn = false;
  private readonly clock: ProgressClock;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Engine `onEvent` handler; events outside a statement are ignored. */
  readonly onEvent = (e: FetchEvent): void => {
    if (this.started === undefined) return;
    if (e.kind === 'request') {
      this.counts.requests++;
      this.resources.add(e.resourceId);
    } else if (e.kind === 'page') {
      this.counts.pages++;
      this.counts.rows += e.rows;
    } else if (e.kind === 'retry') {
      this.counts.retries++;
      this.wait(e.waitMs, e.status === 429 ? 'rate limited' : `retrying (${e.reason})`);
    } else if (e.kind === 'rate-limit-wait') {
      this.wait(e.waitMs, 'rate limit');
    } else if (e.kind === 'estimate') {
      this.estimates.update(e);
    } else {
      this.wait(e.waitMs, 'operation running');
    }
  };

  /** A statement starts: counters reset, the line appears after the delay. */
  start(): void {
    this.stop();
    this.counts = { requests: 0, pages: 0, rows: 0, retries: 0 };
    this.resources.clear();
    this.waitUntil = 0;
    this.estimates.clear();
    this.started = this.clock.now();
    this.cancelTimer = this.clock.every(this.options.intervalMs ?? 200, () => this.tick());
  }

  /** The statement ended (or its result is about to print): the line is erased. */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.started = undefined;
    if (this.drawn) this.stream.write(ERASE);
    this.drawn = false;
  }

  /** Redraws the line when the statement has run long enough. */
  tick(): void {
    if (this.started === undefined || this.clock.now() - this.started < (this.options.delayMs ?? 1000)) return;
    this.stream.write(ERASE + this.line());
    this.drawn = true;
  }

  /** The text of the line, cut to the terminal width so it never wraps. */
  line(): string {
    const now = this.clock.now();
    const c = this.counts;
    const what = [...this.resources].join(', ') || 'starting';
    let text = `⋯ ${what}: ${plural(c.requests, 'request')}, ${plural(c.pages, 'page')}, ${plural(c.rows, 'row')}, ${seconds(now - (this.started ?? now))}`;
    if (c.retries) text += `, ${plural(c.retries, 'retry', 'retries')}`;
    if (this.waitUntil > now) text += ` · ${this.waitReason}, waiting ${seconds(this.waitUntil - now)}`;
    const estimate = this.estimates.text();
    if (estimate) text += ` · ${estimate}`;
    const max = Math.max(10, (this.stream.columns || 80) - 1);
    const chars = [...text];
    return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
  }

  private wait(ms: number, reason: string): void {
    this.waitUntil = this.clock.now() + ms;
    this.waitReason = reason;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A progress line for `stream` when it is a terminal; undefined otherwise (pipes, files, CI). */
export function createProgress(stream: ProgressStream = process.stderr, options: ProgressOptions = {}): Progress | undefined {
  return stream.isTTY ? new Progress(stream, options) : undefined;
}
