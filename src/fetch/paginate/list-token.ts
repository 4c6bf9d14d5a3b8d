// Pagination kind `listToken`: the same request (filters included) is repeated with the list token
// of the previous page until `doneField` equals `doneValue`; an absent or empty done field also
// ends the listing (as the Boundary Go client treats ""). The token of the last page is not sent
// back: for Boundary it would start a refresh of changes, not continue the listing.
import type { PaginationSpec } from '../../manifest/schema.js';
import { malformed } from '../errors.js';
import { getPath } from '../response.js';
import { placeToken } from './place.js';
import { loop, type Pager } from './types.js';

export function listTokenPager(spec: Extract<PaginationSpec, { kind: 'listToken' }>): Pager {
  const seen = new Set<string>();
  return {
    first: (req) => req,
    next(body, _items, prev, ctx) {
      const done = getPath(body, spec.doneField);
      if (done === undefined || done === null || done === '' || done === spec.doneValue) return undefined;
      const token = getPath(body, spec.field);
      if (typeof token !== 'string' || token === '') {
        throw malformed(ctx, `"${spec.doneField}" is ${JSON.stringify(done)} but the response has no "${spec.field}" to continue with`);
      }
      if (seen.has(token)) throw loop(ctx, `a list token (${spec.field})`, seen.size + 1);
      seen.add(token);
      return placeToken(prev, spec.in, spec.param, token);
    },
  };
}
