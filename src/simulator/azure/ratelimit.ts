// ARM throttling for the simulator (api-facts B.5): the optional every-Nth-request 429 and the
// x-ms-ratelimit-remaining-* headers. Invariant: GETs report `-reads`, POSTs `-writes` ([I] ARM buckets
// by verb); a counter only moves on requests that were served, per subscription and hour of the clock.

const LIMITS = { reads: 12_000, writes: 1_200, deletes: 15_000 } as const; // older hourly limits (B.5)

export class RateLimiter {
  private seen = 0;
  private readonly used = new Map<string, { hour: number; used: number }>();

  constructor(
    private readonly throttle: { every: number; retryAfterSeconds: number } | false,
    private readonly now: () => number,
  ) {}

  /** Counts one authenticated ARM request; the Retry-After seconds when it must answer 429. */
  throttled(): number | undefined {
    if (!this.throttle || this.throttle.every <= 0) return undefined;
    this.seen++;
    return this.seen % Math.trunc(this.throttle.every) === 0 ? Math.max(0, Math.round(this.throttle.retryAfterSeconds)) : undefined;
  }

  /** The remaining-quota header for this request; `consume` false for a request that was not served. */
  headers(method: string, subscriptionId: string | undefined, consume = true): Record<string, string> {
    const kind = method === 'GET' || method === 'HEAD' ? 'reads' : method === 'DELETE' ? 'deletes' : 'writes';
    const scope = subscriptionId ? 'subscription' : 'tenant';
    const key = `${scope}:${(subscriptionId ?? '').toLowerCase()}:${kind}`;
    const hour = Math.floor(this.now() / 3_600_000);
    let entry = this.used.get(key);
    if (!entry || entry.hour !== hour) {
      entry = { hour, used: 0 };
      this.used.set(key, entry);
    }
    if (consume) entry.used++;
    const remaining = Math.max(0, LIMITS[kind] - entry.used);
    return { [`x-ms-ratelimit-remaining-${scope}-${kind}`]: String(remaining) };
  }
}
