// Sends one logical request: concurrency slot → pacer ticket → HTTP, retried per the retry policy
// with sleeps taken outside the slot. Returns the final response (any status) or throws
// NETWORK_ERROR / TIMEOUT / CANCELLED once retries are spent.
import { SessqlError } from '../errors.js';
import type { FetchEvent, HttpPort, HttpResponse } from './types.js';
import { TransportError } from './transport-error.js';
import type { Limiter } from './limiter.js';
import type { Pacer } from './pacer.js';
import { decide, type Outcome, type RetryPolicy } from './retry.js';
import { cancelled, throwIfAborted } from './abort.js';
import { displayPath } from './redact.js';
import type { StatsSink } from './stats.js';
import { formatBytes } from '../config/size.js';

export interface Outgoing {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Token requests are not paced against the API's bucket and count as token requests. */
  purpose: 'api' | 'token';
  /** The call's parameter values, for auth templates (never sent). */
  vars?: Record<string, string>;
}

export interface CallContext {
  resourceId: string;
  signal?: AbortSignal;
  idempotent: boolean;
  stats: StatsSink;
}

export interface TransportDeps {
  http: HttpPort;
  limiter: Limiter;
  pacer: Pacer;
  policy: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  emit: (e: FetchEvent) => void;
}

export interface Sent {
  response: HttpResponse;
  attempts: number;
}

export class Transport {
  constructor(private readonly d: TransportDeps) {}

  async send(req: Outgoing, ctx: CallContext): Promise<Sent> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.once(req, ctx);
      if ('response' in outcome && outcome.response.status === 429) ctx.stats.add('throttled');
      const decision = decide(outcome, attempt, ctx.idempotent, this.d.policy);
      if (!decision.retry) {
        if ('error' in outcome) throw this.failure(outcome.error, req, ctx, attempt);
        return { response: outcome.response, attempts: attempt };
      }
      if (decision.status === 429) this.d.pacer.throttled(this.holdUntil(outcome, decision.waitMs));
      ctx.stats.add('retries');
      this.d.emit({
        kind: 'retry',
        resourceId: ctx.resourceId,
        status: decision.status,
        reason: decision.reason,
        waitMs: decision.waitMs,
        attempt,
        of: this.d.policy.maxRetries + 1,
      });
      await this.d.sleep(decision.waitMs, ctx.signal);
      throwIfAborted(ctx.signal);
    }
  }

  /** Other senders wait out an explicit Retry-After (or the blind wait when limits are unknown). */
  private holdUntil(outcome: Outcome, waitMs: number): number | undefined {
    const explicit = 'response' in outcome && outcome.response.headers['retry-after'] !== undefined;
    const blind = this.d.policy.rateLimit.kind === 'x-ratelimit' && this.d.policy.replenishPeriodMs() === undefined;
    return explicit || blind ? this.d.now() + waitMs : undefined;
  }

  private async once(req: Outgoing, ctx: CallContext): Promise<Outcome> {
    throwIfAborted(ctx.signal);
    await this.d.limiter.acquire(ctx.signal);
    let ticket = -1;
    try {
      if (req.purpose === 'api') ticket = await this.d.pacer.acquire(ctx.signal);
      ctx.stats.add(req.purpose === 'api' ? 'requests' : 'tokenRequests');
      this.d.emit({ kind: 'request', resourceId: ctx.resourceId, method: req.method, path: displayPath(req.url) });
      const { method, url, headers, body } = req;
      const response = await this.d.http.request({
        method,
        url,
        headers,
        body,
        timeoutMs: this.d.timeoutMs,
        signal: ctx.signal,
        maxBytes: this.d.maxResponseBytes,
      });
      if (ticket >= 0) this.d.pacer.observe(ticket, response.headers);
      return { response };
    } catch (e) {
      if (e instanceof TransportError) return { error: e };
      throw e;
    } finally {
      if (ticket >= 0) this.d.pacer.settle(ticket);
      this.d.limiter.release();
    }
  }

  private failure(e: TransportError, req: Outgoing, ctx: CallContext, attempts: number): SessqlError {
    if (e.failure === 'aborted' || ctx.signal?.aborted) return cancelled();
    const what = `${ctx.resourceId}: ${req.method} ${displayPath(req.url)}`;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    if (e.failure === 'timeout') {
      return new SessqlError('TIMEOUT', `${what} timed out (${e.message})${tries}`, {
        hint: 'the API is slow or unreachable; try again later, or raise the per-request timeout (timeoutSeconds under fetch: or the provider in sessql.config.yaml)',
      });
    }
    if (e.failure === 'too-large') {
      return new SessqlError('RESPONSE_TOO_LARGE', `${what}: ${e.message}; stopped reading it`, {
        hint: `narrow the query, or raise the limit with --max-response-size (limits.maxResponseSize in sessql.config.yaml; now ${formatBytes(this.d.maxResponseBytes)})`,
      });
    }
    return new SessqlError('NETWORK_ERROR', `${what} could not reach the API (${e.message})${tries}`, {
      details: e.errno ? { errno: e.errno } : undefined,
      hint: 'check the network connection and the API base URL',
    });
  }
}
