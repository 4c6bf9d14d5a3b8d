// Bounds on one call's paging that no pager can see alone: a run of empty pages that still point
// to a next page (fresh cursors forever) and a total page cap. Either ends the call with
// PAGINATION_LOOP instead of requesting pages until the process is killed.
import { SessqlError } from '../../errors.js';
import type { RequestContext } from '../errors.js';

/** Empty pages in a row that may still announce more (a few are legal, e.g. filtered pages). */
export const DEFAULT_MAX_EMPTY_PAGES = 25;
/** Pages of one call (1,000 sessions a page: 50 million rows). */
export const DEFAULT_MAX_PAGES = 50_000;

export class PageGuard {
  private emptyStreak = 0;
  private pages = 0;

  constructor(
    private readonly maxEmpty = DEFAULT_MAX_EMPTY_PAGES,
    private readonly maxPages = DEFAULT_MAX_PAGES,
  ) {}

  /** Called with each page that announces a next page. */
  check(items: number, ctx: RequestContext): void {
    this.pages++;
    this.emptyStreak = items === 0 ? this.emptyStreak + 1 : 0;
    if (this.emptyStreak >= this.maxEmpty) {
      throw new SessqlError(
        'PAGINATION_LOOP',
        `${ctx.resourceId}: the API returned ${this.emptyStreak} empty pages in a row, each pointing to yet another page; stopped to avoid an endless loop`,
        {
          hint: 'this is an API defect or a manifest pagination mismatch; narrow the query (for example a shorter date range) and report it',
        },
      );
    }
    if (this.pages >= this.maxPages) {
      throw new SessqlError(
        'PAGINATION_LOOP',
        `${ctx.resourceId}: the API still announced more pages after ${this.pages} pages; stopped at the page limit`,
        {
          hint: 'narrow the query (for example a shorter date range or more WHERE conditions on parameters)',
        },
      );
    }
  }
}
