// Lower bounds of the scenarios, as the issue defines them: a latency-bound fetch needs
// ceil(pages / concurrency) round trips; a quota-bound one, what the token bucket admits. Pure.

/** ceil(pages / concurrency) × latency. */
export function latencyBound(pages: number, concurrency: number, latencyMs: number): number {
  return Math.ceil(pages / Math.max(1, concurrency)) * latencyMs;
}

export interface Bucket {
  burst: number;
  /** Tokens added per period (X-RateLimit-Replenish-Rate). */
  rate: number;
  periodMs: number;
}

/**
 * The earliest the `requests`-th request can be answered under a token bucket that starts full:
 * the first `burst` go at once, then `rate` per period (stepped, as the CloudConnexa gateway
 * refills), plus one round trip for the last answer — and never less than the latency bound.
 */
export function bucketBound(requests: number, bucket: Bucket, latencyMs: number, concurrency: number): number {
  const waits = Math.ceil(Math.max(0, requests - bucket.burst) / bucket.rate) * bucket.periodMs;
  return Math.max(waits + latencyMs, latencyBound(requests, concurrency, latencyMs));
}

export interface FanOutShape {
  latencyMs: number;
  concurrency: number;
  /** Retry-After of a 202, ms. */
  retryAfterMs: number;
  subscriptions: number;
  /** Per host: [answers 202, sessions]. */
  hosts: Array<[boolean, number]>;
  hostsPerSubscription: number;
  pageSize: number;
}

/**
 * Fan-out (subscriptions → hosts → getActiveSessions): the longer of the critical path (list
 * subscriptions, list a subscription's hosts page by page, POST, and for a 202: Retry-After, one
 * status poll, the result) and ceil(requests / concurrency) round trips.
 */
export function fanOutBound(s: FanOutShape): { boundMs: number; requests: number; criticalMs: number; throughputMs: number } {
  const pages = (n: number) => (s.pageSize > 0 ? Math.max(1, Math.ceil(n / s.pageSize)) : 1);
  const subPages = pages(s.subscriptions);
  const hostPages = pages(s.hostsPerSubscription);
  let requests = subPages + s.subscriptions * hostPages;
  let longestHost = 0;
  for (const [lro, sessions] of s.hosts) {
    const rtts = 1 + (lro ? 2 : 0) + (pages(sessions) - 1);
    requests += rtts;
    longestHost = Math.max(longestHost, rtts * s.latencyMs + (lro ? s.retryAfterMs : 0));
  }
  const criticalMs = (subPages + hostPages) * s.latencyMs + longestHost;
  const throughputMs = latencyBound(requests, s.concurrency, s.latencyMs);
  return { boundMs: Math.max(criticalMs, throughputMs), requests, criticalMs, throughputMs };
}
