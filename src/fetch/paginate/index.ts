// The pagination kinds a manifest can name, one handler per PaginationKind (a new kind without
// a handler does not compile).
import type { PaginationKind, PaginationSpec } from '../../manifest/schema.js';
import { cursorPager } from './cursor.js';
import { nextLinkPager } from './next-link.js';
import { nonePager } from './none.js';
import { pagePager } from './page.js';
import { listTokenPager } from './list-token.js';
import { tokenPager } from './token.js';
import type { Pager } from './types.js';

export type { Pager } from './types.js';

const handlers: { [K in PaginationKind]: (spec: Extract<PaginationSpec, { kind: K }>, baseUrl: string) => Pager } = {
  none: nonePager,
  cursor: cursorPager,
  page: pagePager,
  nextLink: nextLinkPager,
  token: tokenPager,
  listToken: listTokenPager,
};

/** A fresh pager for one call. */
export function createPager(spec: PaginationSpec, baseUrl: string): Pager {
  const make = handlers[spec.kind] as (s: PaginationSpec, base: string) => Pager;
  return make(spec, baseUrl);
}
