// Parameter values: turning SQL literals into validated wire values (enums, datetimes, history
// windows, booleans), and datetime/duration arithmetic. Pure; the clock is passed in.
import { SessqlError } from '../errors.js';
import type { ParameterSpec } from '../manifest/schema.js';
import type { Literal } from '../sql/types.js';

export type Scalar = string | number | boolean;

/** Milliseconds in an ISO-8601 duration such as P30D or PT1H30M. */
export function durationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) throw new SessqlError('INVALID_MANIFEST', `not an ISO-8601 duration: ${iso}`);
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

/** ISO instant without fractional seconds, as the APIs document (`2022-11-08T14:53:43Z`). */
export function isoInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The stored form of an instant (`2026-11-23T17:00:00.000Z`): parameter columns hold it too. */
export function sqlInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Value of the `len` ASCII digits of `s` at `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * The fast path of datetime parsing and conversion (the pattern, parse + toISOString cost ~3 µs a
 * value): a UTC instant already in `YYYY-MM-DDTHH:MM:SS[.mmm]Z` form with every field in range is
 * returned as toISOString would print it; anything else (zones, rollover dates) is undefined → slow path.
 */
export function canonicalInstant(v: string): string | undefined {
  const n = v.length;
  if ((n !== 24 && n !== 20) || v.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58)
    return undefined;
  if (n === 24 && (v.charCodeAt(19) !== 46 || digits(v, 20, 3) < 0)) return undefined;
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  const h = digits(v, 11, 2);
  const mi = digits(v, 14, 2);
  const sec = digits(v, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  return n === 24 ? v : `${v.slice(0, 19)}.000Z`;
}

/**
 * Parses a datetime literal: ISO-8601 with or without time and zone (no zone = UTC), SQLite's
 * `YYYY-MM-DD HH:MM:SS`, and sloppy single-digit months/days as Azure's examples show.
 */
export function parseDateTime(text: string): number | undefined {
  // the APIs' own form (most values, e.g. every session's start time the window schedule reads)
  const canonical = canonicalInstant(text);
  if (canonical !== undefined) return Date.parse(canonical);
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const pad = (v: string, n = 2) => v.padStart(n, '0');
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${mi}:${s}${frac.slice(0, 4)}${z}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function literalToScalar(l: Literal): Scalar | null {
  return l.kind === 'null' ? null : l.value;
}

export function literalText(l: Literal): string {
  if (l.kind === 'null') return 'NULL';
  if (l.kind === 'string') return `'${l.value.replace(/'/g, "''")}'`;
  return String(l.value);
}

export interface ParamContext {
  table: string;
  name: string;
  spec: ParameterSpec;
  now: number;
}

/** The value sent on the wire for a SQL value bound to a parameter; throws for invalid values. */
export function wireValue(value: Scalar, ctx: ParamContext): Scalar {
  const { spec, name, table } = ctx;
  const bad = (msg: string, hint?: string) => new SessqlError('INVALID_PARAMETER', `${table}: ${name} ${msg}`, { hint });
  if (spec.enum) {
    const v = String(value);
    if (!spec.enum.includes(v)) {
      const ci = spec.enum.find((e) => e.toLowerCase() === v.toLowerCase());
      throw bad(`cannot be '${v}': allowed values are ${spec.enum.join(', ')}`, ci ? `values are case-sensitive: did you mean '${ci}'?` : undefined);
    }
    return spec.wireValues?.[v] ?? v;
  }
  switch (spec.type) {
    case 'datetime': {
      const ms = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (ms === undefined) throw bad(`must be a date-time such as '2024-01-31T00:00:00Z', not ${JSON.stringify(value)}`);
      checkMaxAge(ms, ctx);
      return isoInstant(ms);
    }
    case 'boolean': {
      if (value === true || value === 1 || value === 'true') return true;
      if (value === false || value === 0 || value === 'false') return false;
      throw bad(`must be true or false, not ${JSON.stringify(value)}`);
    }
    case 'integer': {
      const n = Number(value);
      if (!Number.isInteger(n)) throw bad(`must be an integer, not ${JSON.stringify(value)}`);
      return n;
    }
    default:
      return spec.wireValues?.[String(value)] ?? String(value);
  }
}

function checkMaxAge(ms: number, ctx: ParamContext): void {
  if (!ctx.spec.maxAge) return;
  const oldest = ctx.now - durationMs(ctx.spec.maxAge);
  if (ms < oldest) {
    throw new SessqlError(
      'INVALID_PARAMETER',
      `${ctx.table}: ${ctx.name} ${isoInstant(ms)} is outside the API's history window (oldest allowed ${isoInstant(oldest + 60_000)})`,
      {
        hint: `${ctx.spec.maxAgeNote ?? `the API keeps ${ctx.spec.maxAge} of history`} Use a later ${ctx.name}.`,
      },
    );
  }
}

/** The default value of an unbound parameter, or undefined when it has none. */
export function defaultValue(spec: ParameterSpec, now: number, config: Record<string, string | undefined>): Scalar | undefined {
  if (spec.defaultFromConfig && config[spec.defaultFromConfig]) return config[spec.defaultFromConfig];
  if (spec.default === undefined) return undefined;
  if (typeof spec.default === 'string' && spec.default.startsWith('now-')) {
    return sqlInstant(Math.floor((now - durationMs(spec.default.slice(4))) / 1000) * 1000);
  }
  return spec.default;
}

/**
 * The instant a text comparison `column >= literal` guarantees for values stored as ISO-8601 UTC
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`). Only the literal's prefix that orders like time is used, so the
 * bound can only be earlier than the literal — pushing it can widen the fetch, never lose rows.
 */
export function safeLowerBound(literal: string): number | undefined {
  const full = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(literal);
  if (full) return Date.parse(`${full[1]}Z`);
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(literal);
  if (day) return Date.parse(`${day[1]}T00:00:00Z`);
  return undefined;
}
