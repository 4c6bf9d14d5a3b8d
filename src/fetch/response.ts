// Reads a page body: JSON parsing and the rows array at the manifest's dotted path. Anything
// else is MALFORMED_RESPONSE, so a wrong base URL or API version fails loudly, not as zero rows.
import { malformed, type RequestContext } from './errors.js';
import type { HttpResponse } from './types.js';

/** Value at a dotted path (`a.b.c`); `$` or '' is the value itself. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '$' || path === '') return value;
  let cur: unknown = value;
  for (const key of path.replace(/^\$\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function parseBody(res: HttpResponse, ctx: RequestContext, longRunning: boolean): unknown {
  if (res.status === 204) return {};
  if (res.body.trim() === '') {
    const why =
      res.status === 202 && !longRunning
        ? 'it answered 202 Accepted (a long-running operation) but the resource does not declare longRunning'
        : `the ${res.status} response has an empty body`;
    throw malformed(ctx, why, res.status);
  }
  try {
    return JSON.parse(res.body);
  } catch {
    const type = res.headers['content-type'] ? ` (content-type ${res.headers['content-type']})` : '';
    throw malformed(ctx, `the body is not JSON${type}`, res.status);
  }
}

/**
 * The page's items; a null rows field is an empty page (Go-style nil slices). A path ending in `?`
 * (`items?`) may be absent on an empty page (protojson leaves empty lists out).
 */
export function extractRows(body: unknown, rowsPathSpec: string, ctx: RequestContext, status: number): unknown[] {
  if (status === 204) return [];
  const optional = rowsPathSpec.endsWith('?');
  const rowsPath = optional ? rowsPathSpec.slice(0, -1) : rowsPathSpec;
  const rows = getPath(body, rowsPath);
  if (Array.isArray(rows)) return rows;
  if (rows === null || (rows === undefined && optional && body !== null && typeof body === 'object')) return [];
  const where = rowsPath === '$' ? 'the body' : `"${rowsPath}"`;
  const found = rows === undefined ? 'nothing' : typeof rows;
  throw malformed(ctx, `expected an array of rows at ${where}, found ${found}`, status);
}
