// Pagination kind `token`: the response field holds the next page's token, sent back in the query,
// a header or the JSON body with the same request; absent or empty ends the listing. A page may be
// short or even empty and still carry a token (AWS list APIs with filters), so only the token
// decides. A repeated token is a loop.
import type { PaginationSpec } from '../../manifest/schema.js';
import { malformed } from '../errors.js';
import { getPath } from '../response.js';
import { placeToken } from './place.js';
import { loop, type Pager } from './types.js';

export function tokenPager(spec: Extract<PaginationSpec, { kind: 'token' }>): Pager {
  const seen = new Set<string>();
  return {
    first: (req) => req,
    next(body, _items, prev, ctx) {
      const token = getPath(body, spec.field);
      if (token === undefined || token === null || token === '') return undefined;
      if (typeof token !== 'string') throw malformed(ctx, `the page token "${spec.field}" is a ${typeof token}, not a string`);
      if (seen.has(token)) throw loop(ctx, `a page token (${spec.field})`, seen.size + 1);
      seen.add(token);
      return placeToken(prev, spec.in, spec.param, token);
    },
  };
}
