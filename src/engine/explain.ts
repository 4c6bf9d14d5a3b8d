// EXPLAIN: the plan as a result set — predicates pushed and not pushed (with why), and the API
// calls the statement will make. Built from the plan alone: no network I/O.
import type { ResourceRef } from '../manifest/catalog.js';
import type { FetchSpec, QueryPlan } from '../plan/plan.js';
import { pickRequest } from './loader.js';
import type { ResultSet } from '../store/sqlite.js';
import { durationText, quotaWaitMs, rateText } from '../fetch/quota-estimate.js';
import type { QuotaState } from '../fetch/types.js';

export interface ExplainContext {
  resolve: (id: string) => ResourceRef;
  config?: (provider: string) => Record<string, string | undefined>;
  /**
   * The provider's token bucket as this engine learned it from rate-limit headers; 'unknown' before
   * the first response; undefined for an API that states none (or answered without the headers).
   */
  quota?: (provider: string) => QuotaState | 'unknown' | undefined;
  /** Pages the concrete fetch `key` took when it last ran in this engine. */
  lastPages?: (key: string) => number | undefined;
}

export function explainPlan(plan: QueryPlan, ctx: ExplainContext): ResultSet {
  const { resolve } = ctx;
  const config = ctx.config ?? (() => ({}));
  const rows: string[][] = [];
  for (const n of plan.notes) rows.push([n.pushed ? 'pushed' : 'not pushed', n.reference, `${n.text} — ${n.detail}`]);
  const calls = [...plan.fetches.values()];
  const listings = new Set(calls.flatMap((f) => f.enumerate?.fetches ?? []));
  // listings first: they run before the calls they enumerate
  const ordered = [...calls.filter((f) => listings.has(f.key)), ...calls.filter((f) => !listings.has(f.key))];
  for (const f of ordered) {
    const res = resolve(f.resourceId);
    let detail = describeCall(f, res, config(res.provider));
    if (f.enumerate) {
      const from = [...new Set(f.enumerate.fetches.map((k) => plan.fetches.get(k)?.resourceId))].join(', ');
      detail += ` — once per row of ${from}, taking ${Object.keys(f.enumerate.columns).join(', ')} from it`;
    }
    if (listings.has(f.key)) detail += ' — a listing, to enumerate parameters';
    if (f.subWindows?.length) {
      const starts = f.subWindows.map((w) => Object.values(w)[0]).join(', ');
      detail += ` — probes the whole window with one page; when more pages follow and the rate limit leaves room, fetches ${f.subWindows.length} sub-windows concurrently, starting ${starts}`;
      const split = res.spec.windowSplit;
      if (split?.orderedBy) {
        detail +=
          `; at run time (pages come in ${split.orderedBy} order) it skips what the probe page already covered, splits the rest among the ${f.subWindows.length} slots` +
          (split.createdOnly
            ? ` (sub-windows ask ${split.createdOnly}=true; the probe's own chain keeps going for rows created before the window)`
            : '') +
          ', and splits the rest of a sub-window that falls behind when a slot frees';
      }
    }
    rows.push(['call', f.resourceId, detail]);
    const quota = ctx.quota?.(res.provider);
    if (quota) rows.push(['estimate', f.resourceId, estimateRow(f, quota, ctx.lastPages?.(f.cacheKey))]);
  }
  if (calls.length === 0) rows.push(['call', '', 'no API call: the WHERE clause cannot match any row']);
  for (const w of [...plan.warnings, ...plan.notices]) rows.push(['warning', '', w]);
  return { columns: ['step', 'table', 'detail'], rows };
}

export function describeCall(f: FetchSpec, res: ResourceRef, config: Record<string, string | undefined> = {}): string {
  const { parameters, pagination } = res.spec;
  const request = pickRequest(res, f.sqlValues);
  const fill = (text: string) =>
    text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, k: string) => (f.wire[k] === undefined && config[k] !== undefined ? String(config[k]) : m));
  let path = fill(request.path);
  const query: string[] = Object.entries(request.query).map(([k, v]) => `${k}=${fill(String(v))}`);
  for (const [name, value] of Object.entries(f.wire)) {
    const p = parameters[name];
    if (!p) continue;
    const wireName = p.wireName ?? name;
    if (p.in === 'path') path = path.replace(`{${wireName}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.push(`${wireName}=${encodeURIComponent(String(value))}`);
  }
  const pages =
    pagination.kind === 'none'
      ? ''
      : ` (every page: ${pagination.kind} paging${f.maxRows !== undefined ? `, stopping after ${f.maxRows} rows` : ''})`;
  const lro = res.spec.longRunning ? ', polling a long-running operation if the API answers 202' : '';
  return `${request.method} ${path}${query.length ? `?${query.join('&')}` : ''}${pages}${lro}`;
}

/**
 * How long a call's pages take at the API's rate limit, once this engine knows the limit (the
 * X-RateLimit headers of an earlier response): from the pages the same call took when it last
 * ran here, or else the cost of each page beyond the requests in hand.
 */
function estimateRow(f: FetchSpec, quota: QuotaState | 'unknown', lastPages: number | undefined): string {
  if (quota === 'unknown')
    return 'time: not estimated yet — the API states its rate limit (X-RateLimit headers) in its first response; EXPLAIN again after a query';
  const { limits } = quota;
  const tokens = Math.floor(quota.tokens);
  const bucket = `${rateText(limits)}, ${tokens} of ${limits.capacity} requests in hand now`;
  const perPage = durationText(1000 / limits.tokensPerSecond);
  if (f.enumerate || lastPages === undefined)
    return `time: at the API's rate limit (${bucket}) each request${tokens > 0 ? ` past the first ${tokens}` : ''} waits ~${perPage}; the page count is known only once it runs`;
  const ms = quotaWaitMs(lastPages, limits, quota.tokens);
  const pages = `${lastPages} page${lastPages === 1 ? '' : 's'} when it last ran`;
  return ms > 0
    ? `time: ~${durationText(ms)} for ${pages}, at the API's rate limit (${bucket})`
    : `time: no wait for ${pages}: within the requests in hand (${bucket})`;
}
