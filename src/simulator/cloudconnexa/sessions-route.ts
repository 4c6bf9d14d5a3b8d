// GET /api/v1/sessions and /api/beta/sessions (api-facts A.3): validation, history window,
// created-or-updated filtering and cursor paging. Invariant: walking nextCursor with the same
// filters returns every matching session exactly once, in stable order, and the last page has no
// nextCursor key at all.
import type { CursorCodec } from './cursor.js';
import { DAY_MS } from './data.js';
import { badParam, errorResponse, fieldError } from './errors.js';
import { boolParam, instantParam, intParam } from './params.js';
import { json, type Reply } from './reply.js';
import { STATUS_NAMES, upperBound, type SessionStore } from './sessions-store.js';
import type { SessionResponse } from './types.js';

export type ApiVersion = 'v1' | 'beta';

/** Max history: 30 days on v1 (CCD v1.0/v1.2.0), 7 days on beta (CCD beta v0.16.0). */
export const HISTORY_DAYS: Record<ApiVersion, number> = { v1: 30, beta: 7 };

export interface SessionsContext {
  store: SessionStore;
  cursors: CursorCodec;
  sessionAt(index: number): SessionResponse;
  now(): number;
  maxPageSize: number;
}

export function sessionsRoute(ctx: SessionsContext, version: ApiVersion, query: Record<string, string>): Reply {
  const size = intParam(query, 'size', 1, ctx.maxPageSize);
  if (!size.ok) return json(400, size.error);
  const start = instantParam(query, 'startDate');
  if (!start.ok) return json(400, start.error);
  const end = instantParam(query, 'endDate');
  if (!end.ok) return json(400, end.error);
  const onlyNew = boolParam(query, 'returnOnlyNew');
  if (!onlyNew.ok) return json(400, onlyNew.error);
  let status = -1;
  if (query.status !== undefined && query.status !== '') {
    status = (STATUS_NAMES as readonly string[]).indexOf(query.status);
    if (status < 0) return json(400, badParam('status', 'TypeMismatch', `must be one of ${STATUS_NAMES.join(', ')}`));
  }
  let after = -1;
  if (query.cursor !== undefined && query.cursor !== '') {
    const decoded = ctx.cursors.decode(query.cursor);
    if (decoded === null) return json(400, badParam('cursor', 'InvalidCursor', `'${query.cursor}' is not a valid cursor`));
    after = decoded;
  }

  const now = ctx.now();
  // Default startDate = now − 1 day (A.3), truncated to whole seconds like an ISO_INSTANT value.
  const startMs = start.value ?? Math.floor((now - DAY_MS) / 1000) * 1000;
  const days = HISTORY_DAYS[version];
  if (startMs < now - days * DAY_MS) {
    const message = `Max ${days} days of history available: startDate must not be before now - ${days} days`;
    return json(400, errorResponse(400, message, { startDate: [fieldError('HistoryLimit', message, { maxDays: days })] }));
  }
  // No endDate → no upper bound [I]. startDate ≥ endDate → empty result, not an error (A.3).
  const endMs = end.value ?? Number.POSITIVE_INFINITY;
  if (startMs >= endMs) return json(200, { sessions: [] });

  const list = ctx.store.matches({ start: startMs, end: endMs, status, onlyNew: onlyNew.value });
  const from = after < 0 ? 0 : upperBound(list, after);
  const page = list.subarray(from, from + size.value);
  const body: { sessions: SessionResponse[]; nextCursor?: string } = { sessions: Array.from(page, (i) => ctx.sessionAt(i)) };
  if (from + page.length < list.length) body.nextCursor = ctx.cursors.encode(page[page.length - 1]);
  return json(200, body);
}
