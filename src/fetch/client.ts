// A provider client: one per provider and engine, sharing its token, concurrency slots and rate-limit
// mirror across calls. fetchPages runs one planned call to the end (or to maxRows) and either
// delivers every page or throws a SessqlError scrubbed of secrets — never partial data silently.
import { setMaxListeners } from 'node:events';
import { isSessqlError, SessqlError, toSessqlError } from '../errors.js';
import { cancelled, defaultSleep, throwIfAborted } from './abort.js';
import { createAuthenticator, type Authenticator } from './auth/index.js';
import { normaliseBaseUrl } from './base-url.js';
import { checkRequiredAndEnums, envName } from './config.js';
import { createAxiosHttp } from './http.js';
import { Limiter } from './limiter.js';
import { errorPolicy } from './envelopes.js';
import { longRunningHandlers } from './long-running-kinds.js';
import { Pacer } from './pacer.js';
import { createPager } from './paginate/index.js';
import { PageGuard } from './paginate/guard.js';
import { SecretSet } from './redact.js';
import { buildRequest } from './request.js';
import { extractRows, parseBody } from './response.js';
import { Sender, type ApiRequest } from './sender.js';
import { emptyStats, StatsSink } from './stats.js';
import { Transport, type CallContext } from './transport.js';
import { TransportError } from './transport-error.js';
import type { CallStats, FetchCall, FetchEvent, HttpResponse, ProviderClient, ProviderClientOptions, QuotaState } from './types.js';

const DEFAULT_CAP_MS = 60_000;
const DEFAULT_LRO_TIMEOUT_MS = 10 * 60_000;
/** A page of 1,000 sessions is about 1 MB; 64 MiB leaves room and still bounds memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export function createProviderClient(opts: ProviderClientOptions): ProviderClient {
  return new Client(opts);
}

class Client implements ProviderClient {
  readonly name: string;
  private readonly total = emptyStats();
  private readonly secrets = new SecretSet();
  private readonly sender: Sender;
  private readonly pacer: Pacer;
  private readonly auth: Authenticator;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly emit: (e: FetchEvent) => void;
  /** Calls started, to tell their estimates apart. */
  private calls = 0;

  constructor(private readonly opts: ProviderClientOptions) {
    const { spec } = opts;
    this.name = spec.name;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
    this.emit = (e) => opts.onEvent?.(e);
    for (const [key, c] of Object.entries(spec.config)) if (c.secret) this.secrets.add(opts.config[key]);
    const errors = errorPolicy(spec.errors);
    const pacer = (this.pacer = new Pacer({ mirror: spec.rateLimit.kind === 'x-ratelimit', now: this.now, sleep: this.sleep, emit: this.emit }));
    const transport = new Transport({
      http: opts.http ?? createAxiosHttp(),
      limiter: new Limiter(opts.concurrency ?? spec.concurrency),
      pacer,
      policy: {
        maxRetries: spec.maxRetries,
        capMs: opts.retryWaitCapMs ?? DEFAULT_CAP_MS,
        baseMs: 500,
        rateLimit: spec.rateLimit,
        random: opts.random ?? Math.random,
        now: this.now,
        replenishPeriodMs: () => pacer.replenishPeriodMs(),
        retryableCode: errors.retryableCode,
      },
      timeoutMs: opts.timeoutMs ?? spec.timeoutSeconds * 1000,
      maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      sleep: this.sleep,
      now: this.now,
      emit: this.emit,
    });
    this.auth = createAuthenticator(spec.auth, {
      spec,
      config: opts.config,
      transport,
      now: this.now,
      secrets: this.secrets,
      credentials: opts.credentials,
      baseUrl: () => this.baseUrl(),
    });
    this.sender = new Sender(transport, this.auth, { errors }, (t) => this.secrets.scrub(t));
  }

  get totals(): CallStats {
    return { ...this.total };
  }

  checkConfig(): void {
    try {
      this.baseUrl();
      this.auth.check();
      checkRequiredAndEnums(this.opts.spec, this.opts.config);
    } catch (e) {
      throw this.secrets.scrubError(toSessqlError(e));
    }
  }

  async fetchPages(call: FetchCall, onPage: (items: unknown[]) => void | Promise<void>): Promise<CallStats> {
    this.checkConfig();
    // Every waiting request, sleep and poll of a statement listens on its one signal, so a fan-out
    // over more than 10 hosts would print Node's MaxListenersExceededWarning (not a leak: each
    // listener is removed when its wait ends).
    if (call.signal) setMaxListeners(0, call.signal);
    const stats = new StatsSink(this.total);
    const ctx: CallContext = { resourceId: call.resourceId, signal: call.signal, idempotent: call.idempotent ?? true, stats };
    const source = `${this.name}#${++this.calls}`;
    try {
      await this.run(call, ctx, onPage, source);
      return stats.call;
    } catch (e) {
      throw this.secrets.scrubError(asFetchError(e, call.signal));
    } finally {
      this.estimate(call.resourceId, source, 0); // nothing left of this call, whatever happened
    }
  }

  /**
   * The base URL; `{name}` placeholders in it take the call's `in: endpoint` parameters, then
   * settings (e.g. `https://ssm.{region}.amazonaws.com`). Without a call, an unfilled template is
   * not checked yet.
   */
  private baseUrl(vars?: Record<string, string | number | boolean>): string {
    const { spec, config } = this.opts;
    const raw = config[spec.baseUrlConfig];
    if (raw === undefined || !raw.includes('{')) return normaliseBaseUrl(raw, envName(spec, spec.baseUrlConfig));
    let unfilled = false;
    const filled = raw.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, k: string) => {
      const v = vars?.[k] ?? config[k];
      if (v === undefined || v === '') unfilled = true;
      return v === undefined ? m : encodeURIComponent(String(v));
    });
    if (unfilled && vars === undefined) return raw;
    return normaliseBaseUrl(filled, envName(spec, spec.baseUrlConfig));
  }

  private async run(call: FetchCall, ctx: CallContext, onPage: (items: unknown[]) => void | Promise<void>, source: string): Promise<void> {
    const base = this.baseUrl(call.params);
    const pager = createPager(call.pagination, base);
    let req: ApiRequest | undefined = pager.first(buildRequest(call, base, this.opts.spec, this.opts.config));
    let res = await this.first(req, call, ctx, base);
    const guard = new PageGuard(this.opts.maxEmptyPages, this.opts.maxPages);
    for (;;) {
      const rctx = this.sender.requestContext(req, ctx);
      const body = parseBody(res, rctx, call.longRunning !== undefined);
      const items = extractRows(body, call.rows, rctx, res.status);
      ctx.stats.add('pages');
      ctx.stats.add('rows', items.length);
      this.emit({ kind: 'page', resourceId: call.resourceId, rows: items.length });
      await onPage(items);
      if (call.maxRows !== undefined && ctx.stats.call.rows >= call.maxRows) return;
      const first = ctx.stats.call.pages === 1;
      req = pager.next(body, items, req, rctx);
      this.estimate(call.resourceId, source, req === undefined ? 0 : pager.pagesLeft?.(body));
      if (first && call.afterFirstPage && !call.afterFirstPage({ more: req !== undefined, rateLimit: this.pacer.limitsInfo() })) return;
      if (call.stopAfterPage?.()) return;
      if (!req) return;
      guard.check(items.length, rctx);
      throwIfAborted(call.signal);
      res = await this.sender.send(req, ctx);
    }
  }

  quota(): QuotaState | undefined {
    const limits = this.pacer.limitsInfo();
    return limits && { limits, tokens: this.pacer.tokensNow() };
  }

  /** Reports the pages a call still has, when the response says and the rate limit is known. */
  private estimate(resourceId: string, source: string, pagesLeft: number | undefined): void {
    const quota = pagesLeft === undefined ? undefined : this.quota();
    if (quota) this.emit({ kind: 'estimate', resourceId, source, pagesLeft: pagesLeft!, ...quota });
  }

  private async first(req: ApiRequest, call: FetchCall, ctx: CallContext, base: string): Promise<HttpResponse> {
    throwIfAborted(call.signal);
    const res = await this.sender.send(req, ctx);
    if (call.longRunning === undefined) return res;
    return longRunningHandlers[call.longRunning](res, this.sender.requestContext(req, ctx), ctx, {
      sender: this.sender,
      baseUrl: base,
      now: this.now,
      sleep: this.sleep,
      emit: this.emit,
      pollCapMs: this.opts.lroPollCapMs ?? DEFAULT_CAP_MS,
      timeoutMs: this.opts.lroTimeoutMs ?? DEFAULT_LRO_TIMEOUT_MS,
    });
  }
}

function asFetchError(e: unknown, signal?: AbortSignal): SessqlError {
  if (isSessqlError(e)) return e;
  if ((e instanceof TransportError && e.failure === 'aborted') || signal?.aborted) return cancelled();
  return toSessqlError(e);
}
