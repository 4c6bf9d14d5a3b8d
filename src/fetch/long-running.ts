// Azure-style long-running operations (api-facts B.1): a 202 is polled — Azure-AsyncOperation until
// Succeeded/Failed/Canceled, else Location while it answers 202 — honouring capped Retry-After,
// within a total time bound. Polls sleep outside any concurrency slot; the final 200 is page 1.
import { SessqlError } from '../errors.js';
import type { RequestContext } from './errors.js';
import { malformed } from './errors.js';
import { parseRetryAfter } from './retry.js';
import { getPath, parseBody } from './response.js';
import { sameOriginUrl } from './same-origin.js';
import type { Sender } from './sender.js';
import type { CallContext } from './transport.js';
import type { FetchEvent, HttpResponse } from './types.js';
import { throwIfAborted } from './abort.js';

export interface LroDeps {
  sender: Sender;
  baseUrl: string;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  emit: (e: FetchEvent) => void;
  pollCapMs: number;
  timeoutMs: number;
}

/** ARM's default poll interval when Retry-After is absent (async-api-reference: 60 s). */
const DEFAULT_POLL_MS = 60_000;

export async function awaitOperation(initial: HttpResponse, rctx: RequestContext, ctx: CallContext, d: LroDeps): Promise<HttpResponse> {
  if (initial.status !== 202) return initial;
  const poll = new Poller(rctx, ctx, d);
  const asyncOp = initial.headers['azure-asyncoperation'];
  const location = initial.headers['location'];
  if (!asyncOp && !location) throw malformed(rctx, 'it answered 202 Accepted without a Location or Azure-AsyncOperation header', 202);
  let wait = poll.retryAfter(initial);
  if (asyncOp) {
    await poll.untilStatusDone(poll.followable(asyncOp, 'the Azure-AsyncOperation header'), wait);
    if (!location) throw malformed(rctx, 'the operation succeeded but no Location header says where its result is', 202);
    wait = 0;
  }
  return poll.location(poll.followable(location!, 'the Location header'), wait);
}

class Poller {
  private readonly deadline: number;

  constructor(
    private readonly rctx: RequestContext,
    private readonly ctx: CallContext,
    private readonly d: LroDeps,
  ) {
    this.deadline = d.now() + d.timeoutMs;
  }

  followable(link: string, what: string): string {
    return sameOriginUrl(link, this.d.baseUrl, this.rctx, what);
  }

  /** The server's Retry-After; a poll answer without one keeps the interval last asked for. */
  retryAfter(res: HttpResponse): number {
    const asked = parseRetryAfter(res.headers['retry-after'], this.d.now());
    if (asked !== undefined) this.lastAsked = asked;
    return Math.min(this.d.pollCapMs, asked ?? this.lastAsked ?? DEFAULT_POLL_MS);
  }

  private lastAsked?: number;
  private polls = 0;

  /** Azure-AsyncOperation: GET the status resource until it reaches a terminal status. */
  async untilStatusDone(url: string, firstWait: number): Promise<void> {
    for (let wait = firstWait; ;) {
      const res = await this.poll(url, wait);
      const body = parseBody(res, { ...this.rctx, url }, true);
      const status = String(getPath(body, 'status') ?? '').toLowerCase();
      if (status === 'succeeded') return;
      if (status === 'failed' || status === 'canceled' || status === 'cancelled') throw this.failed(status, body);
      wait = this.retryAfter(res);
    }
  }

  /** Location: GET while it answers 202 (following a new Location if given); the first other 2xx is the result. */
  async location(url: string, firstWait: number): Promise<HttpResponse> {
    for (let wait = firstWait, target = url; ;) {
      const res = await this.poll(target, wait);
      if (res.status !== 202) return res;
      if (res.headers['location']) target = this.followable(res.headers['location'], 'the Location header');
      wait = this.retryAfter(res);
    }
  }

  private async poll(url: string, waitMs: number): Promise<HttpResponse> {
    if (this.d.now() + waitMs > this.deadline) {
      throw new SessqlError(
        'TIMEOUT',
        `${this.rctx.resourceId}: the long-running operation did not finish within ${Math.round(this.d.timeoutMs / 1000)} s`,
        {
          hint: 'the service is still working on it; try again later, or raise --lro-timeout (limits.lroTimeout in sessql.config.yaml)',
        },
      );
    }
    if (waitMs > 0) {
      this.d.emit({ kind: 'lro-poll', resourceId: this.ctx.resourceId, waitMs, poll: this.polls + 1, limitMs: this.d.timeoutMs });
      await this.d.sleep(waitMs, this.ctx.signal);
      throwIfAborted(this.ctx.signal);
    }
    this.ctx.stats.add('polls');
    this.polls++;
    return this.d.sender.send({ method: 'GET', url }, { ...this.ctx, idempotent: true });
  }

  private failed(status: string, body: unknown): SessqlError {
    const code = getPath(body, 'error.code');
    const message = getPath(body, 'error.message');
    const said = typeof message === 'string' && message ? `: ${message}` : '';
    return new SessqlError(
      'OPERATION_FAILED',
      `${this.rctx.resourceId}: the long-running operation ${status === 'failed' ? 'failed' : 'was canceled'}${said}`,
      {
        details: typeof code === 'string' ? { apiCode: code } : undefined,
        hint: typeof code === 'string' ? `the service reported error code ${code}` : undefined,
      },
    );
  }
}
