// How long a quota-bound fetch still needs, from the token bucket the X-RateLimit headers
// describe: pages left beyond the tokens in hand, one per token as the bucket refills. Pure; the
// wording ("~2 h 05 m left at 1 request / 15 s") is shared by the progress line, wait notices and EXPLAIN.
import type { RateLimitInfo } from './pacer.js';

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

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}
