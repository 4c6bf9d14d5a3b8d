// A pager turns one page's response into the request for the next page, or ends the call.
// Pagers are per call and keep what they need to refuse loops (repeated cursors, links, pages).
import { SessqlError } from '../../errors.js';
import type { RequestContext } from '../errors.js';
import type { ApiRequest } from '../sender.js';

export interface Pager {
  /** The first request, with any paging parameters added. */
  first(req: ApiRequest): ApiRequest;
  /** The next request, or undefined after the last page. */
  next(body: unknown, items: unknown[], prev: ApiRequest, ctx: RequestContext): ApiRequest | undefined;
  /** Pages still to come after this one, where the response says (a total-pages field); for estimates only. */
  pagesLeft?(body: unknown): number | undefined;
}

export function withQuery(req: ApiRequest, params: Record<string, string>): ApiRequest {
  const url = new URL(req.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { ...req, url: url.href };
}

export function loop(ctx: RequestContext, what: string, pageNo: number): SessqlError {
  return new SessqlError(
    'PAGINATION_LOOP',
    `${ctx.resourceId}: the API returned ${what} it had already returned (after page ${pageNo}); stopped to avoid an endless loop`,
    {
      hint: 'this is an API defect or a manifest pagination mismatch; narrow the query (for example a shorter date range) and report it',
    },
  );
}
