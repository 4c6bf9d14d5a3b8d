// Counters of one call, mirrored into the client's totals, so each increment is counted once in both.
import type { CallStats } from './types.js';

export function emptyStats(): CallStats {
  return { requests: 0, pages: 0, rows: 0, retries: 0, throttled: 0, polls: 0, tokenRequests: 0 };
}

export class StatsSink {
  readonly call = emptyStats();

  constructor(private readonly totals: CallStats) {}

  add(key: keyof CallStats, n = 1): void {
    this.call[key] += n;
    this.totals[key] += n;
  }
}
