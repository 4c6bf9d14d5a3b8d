// Retry policy: which outcomes are retried (429, 500/502/503/504, network errors, timeouts) and how
// long to wait (Retry-After, the x-ratelimit replenish period, or capped exponential full jitter).
// Non-idempotent calls are retried only when the request certainly was not processed.
import type { RateLimitSpec } from '../manifest/schema.js';
import type { HttpResponse } from './types.js';
import type { TransportError } from './transport-error.js';

export type Outcome = { response: HttpResponse } | { error: TransportError };

export interface RetryPolicy {
  maxRetries: number;
  capMs: number;
  baseMs: number;
  rateLimit: RateLimitSpec;
  random: () => number;
  now: () => number;
  /** One replenish period of the mirrored bucket, when known. */
  replenishPeriodMs: () => number | undefined;
  /** A retryable error code the manifest declares (throttling sent as a 400), else undefined. */
  retryableCode?: (res: HttpResponse) => string | undefined;
}

export type RetryDecision = { retry: false } | { retry: true; waitMs: number; reason: string; status?: number };

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Retry-After as milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full jitter: uniform in [0, min(cap, base·2^(attempt-1))]. */
export function backoffMs(attempt: number, p: RetryPolicy): number {
  const ceiling = Math.min(p.capMs, p.baseMs * 2 ** (attempt - 1));
  return Math.floor(p.random() * ceiling);
}

export function decide(outcome: Outcome, attempt: number, idempotent: boolean, p: RetryPolicy): RetryDecision {
  if (attempt > p.maxRetries) return { retry: false };
  if ('error' in outcome) return decideTransport(outcome.error, attempt, idempotent, p);
  const { status, headers } = outcome.response;
  if (!RETRYABLE_STATUS.has(status)) {
    // a code the manifest names as retryable (e.g. ThrottlingException) was not processed
    const code = p.retryableCode?.(outcome.response);
    return code ? { retry: true, waitMs: Math.min(p.capMs, backoffMs(attempt, p)), reason: `throttled (${code})`, status } : { retry: false };
  }
  // A 429 was not processed; a 5xx may have been, so writes are not repeated.
  if (status !== 429 && !idempotent) return { retry: false };
  const retryAfter = parseRetryAfter(headers['retry-after'], p.now());
  const waitMs = retryAfter ?? (status === 429 ? bare429Wait(attempt, p) : backoffMs(attempt, p));
  const reason = status === 429 ? 'rate limited' : `server error ${status}`;
  return { retry: true, waitMs: Math.min(p.capMs, waitMs), reason, status };
}

function bare429Wait(attempt: number, p: RetryPolicy): number {
  if (p.rateLimit.kind !== 'x-ratelimit') return backoffMs(attempt, p);
  // A Spring-style gateway's 429 is bare (api-facts A.5): wait for one token, or the documented minute.
  return p.replenishPeriodMs() ?? p.rateLimit.bare429WaitSeconds * 1000;
}

function decideTransport(e: TransportError, attempt: number, idempotent: boolean, p: RetryPolicy): RetryDecision {
  // a body over the size limit would be as large again
  if (e.failure === 'aborted' || e.failure === 'too-large') return { retry: false };
  if (!idempotent && e.mayHaveReached) return { retry: false };
  const reason = e.failure === 'timeout' ? 'timeout' : `network error${e.errno ? ` ${e.errno}` : ''}`;
  return { retry: true, waitMs: backoffMs(attempt, p), reason };
}
