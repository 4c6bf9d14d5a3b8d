// Pagination kind `cursor`: the response field holds the next cursor, sent back as a query
// parameter; absent, null or empty means the last page (api-facts A.3). A repeated cursor is a loop.
import type { PaginationSpec } from '../../manifest/schema.js';
import { malformed } from '../errors.js';
import { getPath } from '../response.js';
import { loop, withQuery, type Pager } from './types.js';

export function cursorPager(spec: Extract<PaginationSpec, { kind: 'cursor' }>): Pager {
  const seen = new Set<string>();
  return {
    first: (req) => req,
    next(body, _items, prev, ctx) {
      const cursor = getPath(body, spec.field);
      if (cursor === undefined || cursor === null || cursor === '') return undefined;
      if (typeof cursor !== 'string' && typeof cursor !== 'number') {
        throw malformed(ctx, `the cursor field "${spec.field}" is a ${typeof cursor}, not a string`);
      }
      const value = String(cursor);
      if (seen.has(value)) throw loop(ctx, `a cursor (${spec.field})`, seen.size + 1);
      seen.add(value);
      return withQuery(prev, { [spec.param]: value });
    },
  };
}
