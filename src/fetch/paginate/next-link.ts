// Pagination kind `nextLink`: GET the absolute URL in the response field (ARM x-ms-pageable,
// api-facts B.1). The link must stay on the base URL's origin (credentials are sent to it);
// a link seen before is a loop.
import type { PaginationSpec } from '../../manifest/schema.js';
import { malformed } from '../errors.js';
import { getPath } from '../response.js';
import { loop, type Pager } from './types.js';
import { sameOriginUrl } from '../same-origin.js';

export function nextLinkPager(spec: Extract<PaginationSpec, { kind: 'nextLink' }>, baseUrl: string): Pager {
  const seen = new Set<string>();
  return {
    first(req) {
      if (req.method === 'GET') seen.add(req.url);
      return req;
    },
    next(body, _items, _prev, ctx) {
      const link = getPath(body, spec.field);
      if (link === undefined || link === null || link === '') return undefined;
      if (typeof link !== 'string') throw malformed(ctx, `the next-page field "${spec.field}" is a ${typeof link}, not a URL`);
      const url = sameOriginUrl(link, baseUrl, ctx, `the next-page link (${spec.field})`);
      if (seen.has(url)) throw loop(ctx, `a next-page link (${spec.field})`, seen.size);
      seen.add(url);
      return { method: 'GET', url };
    },
  };
}
