// Pagination kind `page`: page/size query parameters from `firstPage`; stops when the pages
// fetched reach the total-pages field, or, without a total, at a short or empty page. A page
// identical to the previous one means the API ignores the page parameter: a loop, not more data.
import { createHash } from 'node:crypto';
import type { PaginationSpec } from '../../manifest/schema.js';
import { getPath } from '../response.js';
import { loop, withQuery, type Pager } from './types.js';

export function pagePager(spec: Extract<PaginationSpec, { kind: 'page' }>): Pager {
  let page = spec.firstPage;
  let previous: string | undefined;
  return {
    first: (req) => withQuery(req, { [spec.pageParam]: String(page), [spec.sizeParam]: String(spec.size) }),
    next(body, items, prev, ctx) {
      const fetched = page - spec.firstPage + 1;
      if (isLastPage(getPath(body, spec.totalPagesField), fetched, items.length, spec.size)) return undefined;
      const fingerprint = createHash('sha1').update(JSON.stringify(items)).digest('hex');
      if (fingerprint === previous) throw loop(ctx, `page ${page} with the same items as the page before`, fetched);
      previous = fingerprint;
      page += 1;
      return withQuery(prev, { [spec.pageParam]: String(page) });
    },
    pagesLeft(body) {
      // called after next(): `page` is the page that follows
      const total = getPath(body, spec.totalPagesField);
      return typeof total === 'number' && Number.isFinite(total) ? Math.max(0, total - (page - spec.firstPage)) : undefined;
    },
  };
}

function isLastPage(total: unknown, fetched: number, count: number, size: number): boolean {
  if (count === 0) return true;
  if (typeof total === 'number' && Number.isFinite(total)) return fetched >= total;
  return count < size;
}
