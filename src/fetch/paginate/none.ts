// Pagination kind `none`: the first response is the only page.
import type { Pager } from './types.js';

export function nonePager(): Pager {
  return { first: (req) => req, next: () => undefined };
}
