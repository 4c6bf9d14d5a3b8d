// Query-parameter parsing for the simulated routes: integers, booleans, ISO_INSTANT date-times.
// Invariant: a parser either returns a value or an ErrorResponse for a 400 — it never throws.
import { badParam } from './errors.js';
import type { ErrorResponse } from './types.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ErrorResponse };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: ErrorResponse): Parsed<T> => ({ ok: false, error });

/** Integer in [min, max]; `fallback` when absent (undefined fallback → the parameter is required). */
export function intParam(query: Record<string, string>, name: string, min: number, max: number, fallback?: number): Parsed<number> {
  const raw = query[name];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return ok(fallback);
    return fail(badParam(name, 'NotNull', 'must not be null'));
  }
  if (!/^-?\d+$/.test(raw.trim())) return fail(badParam(name, 'TypeMismatch', `'${raw}' is not a valid integer`));
  const v = Number(raw.trim());
  if (v < min) return fail(badParam(name, 'Min', `must be greater than or equal to ${min}`, { value: min }));
  if (v > max) return fail(badParam(name, 'Max', `must be less than or equal to ${max}`, { value: max }));
  return ok(v);
}

export function boolParam(query: Record<string, string>, name: string): Parsed<boolean> {
  const raw = query[name];
  if (raw === undefined || raw === '') return ok(false);
  const v = raw.toLowerCase();
  if (v === 'true') return ok(true);
  if (v === 'false') return ok(false);
  return fail(badParam(name, 'TypeMismatch', `'${raw}' is not a valid boolean`));
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * ISO-8601 instant with seconds and a zone (`Z` or ±hh:mm), e.g. `2022-11-08T14:53:43Z` or
 * `2022-10-25T00:00:00.000Z` (api-facts A.3: "Should use ISO_INSTANT format"); undefined when absent.
 */
export function instantParam(query: Record<string, string>, name: string): Parsed<number | undefined> {
  const raw = query[name];
  if (raw === undefined || raw === '') return ok(undefined);
  const m = INSTANT.exec(raw);
  const invalid = fail<number | undefined>(badParam(name, 'TypeMismatch', `'${raw}' is not an ISO-8601 instant such as 2022-11-08T14:53:43Z`));
  if (!m) return invalid;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) return invalid;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? invalid : ok(ms);
}
