// Per-API-key token bucket for the simulated API (api-facts A.5: burst 20, 1 token / 15 s by
// default on the real service). Invariant: tokens never exceed `burst` and are added in whole
// steps — `replenishRate` tokens per full elapsed `replenishTimeSeconds` (stepped, not continuous),
// so a client that paces from the X-RateLimit-* headers never sees a 429.
import type { RateLimitOptions } from './types.js';

export interface TakeResult {
  allowed: boolean;
  remaining: number;
}

interface Bucket {
  tokens: number;
  /** Clock time the current replenish period started. */
  anchor: number;
}

export function validateRateLimit(o: RateLimitOptions): void {
  for (const key of ['burst', 'replenishRate', 'replenishTimeSeconds'] as const) {
    const v = o[key];
    if (!Number.isInteger(v) || v < 1) {
      // Headers are bare integers (the Go client parses them with strconv.Atoi, A.5), so only
      // whole numbers are accepted; for fast tests inject `now` or raise replenishRate instead.
      throw new RangeError(`rateLimit.${key} must be an integer ≥ 1, got ${v}`);
    }
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly periodMs: number;

  constructor(
    private readonly o: RateLimitOptions,
    private readonly now: () => number,
  ) {
    validateRateLimit(o);
    this.periodMs = o.replenishTimeSeconds * 1000;
  }

  /** Takes one token from `key`'s bucket (created full on first use). */
  take(key: string): TakeResult {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.o.burst, anchor: t };
      this.buckets.set(key, b);
    }
    const periods = Math.floor((t - b.anchor) / this.periodMs);
    if (periods > 0) {
      b.tokens = Math.min(this.o.burst, b.tokens + periods * this.o.replenishRate);
      b.anchor += periods * this.periodMs;
    }
    // A full bucket does not bank time: the next period starts when a token is first spent.
    if (b.tokens >= this.o.burst) b.anchor = t;
    if (b.tokens < 1) return { allowed: false, remaining: 0 };
    b.tokens -= 1;
    return { allowed: true, remaining: b.tokens };
  }

  /** The integer X-RateLimit-* headers sent on 2xx answers (A.5). */
  headers(remaining: number): Record<string, string> {
    return {
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Replenish-Rate': String(this.o.replenishRate),
      'X-RateLimit-Replenish-Time': String(this.o.replenishTimeSeconds),
      'X-RateLimit-Burst-Capacity': String(this.o.burst),
    };
  }
}
