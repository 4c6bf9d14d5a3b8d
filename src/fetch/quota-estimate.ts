// How long a quota-bound fetch still needs, from the token bucket the X-RateLimit headers
// describe: pages left beyond the tokens in hand, one per token as the bucket refills. Pure; the
// wording ("~2 h 05 m left at 1 request / 15 s") is shared by the progress line, wait notices and EXPLAIN.
import type { FetchEvent, RateLimitInfo } from './types.js';

/** Milliseconds until `requestsLeft` more requests are admitted, with `tokens` in the bucket now. */
export function quotaWaitMs(requestsLeft: number, limits: RateLimitInfo, tokens = 0): number {
  const short = Math.max(0, Math.ceil(requestsLeft) - Math.max(0, Math.floor(tokens)));
  return limits.tokensPerSecond > 0 ? (short / limits.tokensPerSecond) * 1000 : Infinity;
}

/** "1 request / 15 s", "2 requests / s", "1 request / 1.5 s". */
export function rateText(limits: RateLimitInfo): string {
  const r = limits.tokensPerSecond;
  if (!(r > 0)) return 'no refill';
  if (r >= 1) return `${trim(r)} request${r === 1 ? '' : 's'} / s`;
  return `1 request / ${trim(1 / r)} s`;
}

/** "45 s", "12 m 05 s", "2 h 05 m". */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

/** "~2 h 05 m left at 1 request / 15 s". */
export function estimateText(requestsLeft: number, limits: RateLimitInfo, tokens = 0): string {
  return `~${durationText(quotaWaitMs(requestsLeft, limits, tokens))} left at ${rateText(limits)}`;
}

type EstimateEvent = Extract<FetchEvent, { kind: 'estimate' }>;

/**
 * The estimate of a statement as pages arrive: every running call reports the pages it still has
 * (`source` tells calls apart), and calls of one provider share its token bucket, so their pages
 * add up. The text is the slowest provider's wait, or undefined while no fetch is quota-bound
 * (its pages left fit in the tokens in hand).
 */
export class QuotaEstimates {
  private readonly calls = new Map<string, EstimateEvent>();

  update(e: EstimateEvent): void {
    if (e.pagesLeft > 0) this.calls.set(e.source, e);
    else this.calls.delete(e.source);
  }

  clear(): void {
    this.calls.clear();
  }

  text(): string | undefined {
    const byProvider = new Map<string, { pages: number; latest: EstimateEvent }>();
    for (const e of this.calls.values()) {
      const provider = e.resourceId.split('.')[0];
      const p = byProvider.get(provider);
      if (p) {
        p.pages += e.pagesLeft;
        p.latest = e;
      } else byProvider.set(provider, { pages: e.pagesLeft, latest: e });
    }
    let slowest: { ms: number; text: string } | undefined;
    for (const { pages, latest } of byProvider.values()) {
      const ms = quotaWaitMs(pages, latest.limits, latest.tokens);
      if (ms > 0 && (!slowest || ms > slowest.ms)) slowest = { ms, text: estimateText(pages, latest.limits, latest.tokens) };
    }
    return slowest?.text;
  }
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}
