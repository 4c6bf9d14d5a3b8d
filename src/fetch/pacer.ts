// Client-side pacing shared by all calls of one provider client. It mirrors the server's token
// bucket from X-RateLimit-* headers (x-ratelimit kind) so steady paging never meets a 429 yet
// still spends the whole burst, and it holds every sender after a 429 until the server allows more.
import type { FetchEvent, RateLimitInfo } from './types.js';
import { throwIfAborted } from './abort.js';

export interface PacerDeps {
  /** Mirror the X-RateLimit-* bucket (rateLimit.kind x-ratelimit); otherwise only 429 holds apply. */
  mirror: boolean;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  emit: (e: FetchEvent) => void;
  /**
   * Longest one request waits for the mirror (default 60 s): headers announcing an absurd period
   * (Replenish-Time: 86400) must not stall a statement for a day; past it the request is sent and
   * the server's own 429, retried within bounds, decides.
   */
  maxWaitMs?: number;
}

const DEFAULT_MAX_WAIT_MS = 60_000;

interface Limits {
  ratePerMs: number;
  /** X-RateLimit-Replenish-Time: the server may add its tokens only once per period. */
  periodMs: number;
  capacity: number;
}

/** A header value as a non-negative number, or undefined for missing or unreadable values. */
export function numericHeader(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(?:\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

export type { RateLimitInfo };

export class Pacer {
  private limits?: Limits;
  /** Estimated tokens in the server's bucket at time `anchor`, already net of our requests sent. */
  private tokens = 0;
  private anchor = 0;
  /** Tickets handed out, in send order; tickets are how a response is placed among our sends. */
  private issued = 0;
  /** Tickets sent and not yet answered. */
  private readonly outstanding = new Set<number>();
  private holdUntil = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PacerDeps) {}

  /** Waits (FIFO) until a request may be sent; returns its ticket for `observe`. */
  acquire(signal?: AbortSignal): Promise<number> {
    const turn = this.queue.then(() => this.take(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Re-anchors the mirror on a response's headers (bad or missing headers are ignored) and settles
   * the ticket. `remaining` is taken as the bucket at receipt (the server counted it earlier, so
   * this errs low by one round trip of refill); requests we sent later are assumed to reach the
   * server later (FIFO). While an earlier request is unanswered the order is uncertain, so then
   * the estimate may only go down.
   */
  observe(ticket: number, headers: Record<string, string>): void {
    const ordered = !this.hasEarlierOutstanding(ticket);
    this.settle(ticket);
    if (!this.deps.mirror) return;
    const remaining = numericHeader(headers['x-ratelimit-remaining']);
    this.learnLimits(headers, remaining);
    if (!this.limits || remaining === undefined) return;
    const estimate = Math.min(this.limits.capacity, remaining) - (this.issued - ticket - 1);
    this.refill(this.deps.now());
    this.tokens = ordered ? estimate : Math.min(this.tokens, estimate);
  }

  /** The request finished without a usable response (network error, timeout, abort). */
  settle(ticket: number): void {
    this.outstanding.delete(ticket);
  }

  /** A 429 arrived: the bucket is empty now; with `untilMs` nobody sends before that time. */
  throttled(untilMs?: number): void {
    if (untilMs !== undefined) this.holdUntil = Math.max(this.holdUntil, untilMs);
    if (this.limits) {
      this.tokens = Math.min(this.tokens, 0);
      this.anchor = this.deps.now();
    }
  }

  /** The server's bucket as the headers described it: refill per second and capacity. */
  limitsInfo(): RateLimitInfo | undefined {
    return this.limits ? { tokensPerSecond: this.limits.ratePerMs * 1000, capacity: this.limits.capacity } : undefined;
  }

  /** Tokens the mirror counts in the server's bucket now, net of the requests we sent (0 when unknown). */
  tokensNow(): number {
    if (!this.limits) return 0;
    this.refill(this.deps.now());
    return Math.max(0, this.tokens);
  }

  /**
   * One replenish period (X-RateLimit-Replenish-Time), once the headers told us: after a 429 this
   * is how long a server that refills in steps (Spring's limiter counts whole periods) may need.
   */
  replenishPeriodMs(): number | undefined {
    return this.limits?.periodMs;
  }

  private async take(signal?: AbortSignal): Promise<number> {
    const max = this.deps.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    let waited = 0;
    for (let wait = this.waitMs(); wait > 0 && waited < max; wait = this.waitMs()) {
      throwIfAborted(signal);
      const step = Math.min(wait, max - waited);
      this.deps.emit({ kind: 'rate-limit-wait', waitMs: step, held: this.holdUntil > this.deps.now() });
      await this.deps.sleep(step, signal);
      waited += step;
    }
    throwIfAborted(signal);
    if (this.limits) this.tokens -= 1;
    this.outstanding.add(this.issued);
    return this.issued++;
  }

  private waitMs(): number {
    const now = this.deps.now();
    if (this.holdUntil > now) return this.holdUntil - now;
    if (!this.limits) return 0;
    this.refill(now);
    const missing = 1 - this.tokens;
    return missing <= 1e-9 ? 0 : Math.ceil(missing / this.limits.ratePerMs);
  }

  private refill(now: number): void {
    if (!this.limits) return;
    this.tokens = Math.min(this.limits.capacity, this.tokens + Math.max(0, now - this.anchor) * this.limits.ratePerMs);
    this.anchor = now;
  }

  private hasEarlierOutstanding(ticket: number): boolean {
    for (const t of this.outstanding) if (t < ticket) return true;
    return false;
  }

  /** Rate and burst from the headers; the first time only together with Remaining (the anchor). */
  private learnLimits(headers: Record<string, string>, remaining: number | undefined): void {
    const rate = numericHeader(headers['x-ratelimit-replenish-rate']);
    const timeHeader = headers['x-ratelimit-replenish-time'];
    // Spring's default period is one second; an unreadable period makes the rate unusable.
    const seconds = timeHeader === undefined ? 1 : numericHeader(timeHeader);
    if (!rate || !seconds || (!this.limits && remaining === undefined)) return;
    const burst = numericHeader(headers['x-ratelimit-burst-capacity']);
    const capacity = burst || Math.max(this.limits?.capacity ?? 1, (remaining ?? 0) + 1);
    if (this.limits) this.refill(this.deps.now());
    this.limits = { ratePerMs: rate / (seconds * 1000), periodMs: seconds * 1000, capacity };
  }
}
