// Filter parameters (manifest `filter`): one API parameter filled from several predicates — an
// expression such as Boundary's `"/item/status" == "active" and …`, or a list of `{key, value}`
// items such as SSM's Filters. Invariant: a predicate is pushed only in a form the manifest maps
// to an API filter at least as wide as SQL's; the user's whole WHERE runs again in SQLite.
import type { ResourceRef } from '../manifest/catalog.js';
import type { FilterSpec } from '../manifest/schema.js';
import type { ColumnName, Conjunct, Operand, Predicate } from '../sql/types.js';
import { isoInstant, safeLowerBound } from './values.js';

export interface FilterPushdown {
  /** Filter parameter → its wire value. */
  values: Map<string, string>;
  /** Conjuncts that went into a filter (EXPLAIN shows them as pushed). */
  consumed: Set<Conjunct>;
  notes: Array<{ text: string; detail: string }>;
  /** Why a predicate on a filter column was left to SQLite (for EXPLAIN). */
  skipped: Map<Conjunct, string>;
}

type Template = FilterSpec['columns'][string]['eq'];
type Op = 'eq' | 'ge' | 'lt';

interface Part {
  column: string;
  op: Op;
  values: string[];
  texts: string[];
  conjuncts: Conjunct[];
}

/**
 * The instant an upper bound `column < literal` (or `<=`) guarantees for values stored as
 * ISO-8601 UTC text: every row SQLite keeps started before the literal's second + 1 s. Only
 * literals whose text orders like time (`YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]`) are used.
 */
export function safeUpperBound(literal: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?)?Z?$/.exec(literal);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}Z`);
  return Number.isNaN(ms) ? undefined : ms + 1000;
}

function stringOf(l: Operand): string | undefined {
  return l.kind === 'string' ? l.value : undefined;
}

/** Which operator a predicate serves and with which values, or undefined. */
function classify(p: Predicate): { op: Op; values: string[] } | undefined {
  if (p.kind === 'in') {
    const values = p.values.map(stringOf);
    return values.every((v): v is string => v !== undefined) && values.length > 0 ? { op: 'eq', values } : undefined;
  }
  if (p.kind === 'between') {
    const low = stringOf(p.low);
    const ms = low === undefined ? undefined : safeLowerBound(low);
    return ms === undefined ? undefined : { op: 'ge', values: [isoInstant(ms)] };
  }
  const v = stringOf(p.value);
  if (v === undefined) return undefined;
  if (p.op === '=') return { op: 'eq', values: [v] };
  if (p.op === '>=' || p.op === '>') {
    const ms = safeLowerBound(v);
    return ms === undefined ? undefined : { op: 'ge', values: [isoInstant(ms)] };
  }
  const ms = safeUpperBound(v);
  return ms === undefined ? undefined : { op: 'lt', values: [isoInstant(ms)] };
}

function fillText(template: string, value: string, f: FilterSpec): string {
  const quoted = f.quote === 'json' ? JSON.stringify(value) : value;
  return template.split('{value}').join(quoted);
}

function fillItem(template: Record<string, string>, value: string): Record<string, string> {
  return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, v.split('{value}').join(value)]));
}

/** Parts of one filter parameter from the conjuncts, one per column and operator. */
function collect(
  f: FilterSpec,
  conjuncts: Conjunct[],
  columnOf: (c: ColumnName) => string | undefined,
  caseInsensitive: Set<string>,
  skipped: Map<Conjunct, string>,
): Part[] {
  const parts = new Map<string, Part>();
  for (const c of conjuncts) {
    if (c.kind === 'other') continue;
    const column = columnOf(c.column);
    const forms = column ? f.columns[column] : undefined;
    if (!column || !forms) continue;
    // a value that follows the clock ('now') is later when SQLite runs the statement: it may
    // only widen a lower bound, never bind a value or cap an upper bound
    let got = classify(c);
    if (got && c.volatile && got.op !== 'ge') got = undefined;
    // `StartDate = X` is also a lower bound, when only ge is declared
    if (got?.op === 'eq' && !forms.eq && forms.ge && c.kind === 'compare') {
      const ms = safeLowerBound(got.values[0]);
      got = ms === undefined ? undefined : { op: 'ge', values: [isoInstant(ms)] };
    }
    const skip = (why: string) => skipped.set(c, `${column} is in the API filter, but ${why}: filtered by SQLite`);
    if (!got || forms[got.op] === undefined) {
      skip('not in this form (only string literals, and the operators the manifest maps)');
      continue;
    }
    // SQLite compares a case-insensitive column more widely than an exact API filter would
    if (got.op === 'eq' && caseInsensitive.has(column)) {
      skip('SQLite compares it case-insensitively');
      continue;
    }
    if (f.format === 'list' && got.values.length > 1) {
      skip('the filter list takes one value per key, so IN is not sent');
      continue;
    }
    const key = `${column}|${got.op}`;
    const prev = parts.get(key);
    if (!prev) {
      parts.set(key, { column, op: got.op, values: got.values, texts: [c.text], conjuncts: [c] });
    } else if (got.op === 'eq') {
      // two conjuncts on one column: only values both allow can match
      prev.values = prev.values.filter((v) => got.values.includes(v));
      prev.texts.push(c.text);
      prev.conjuncts.push(c);
    } // a second bound of the same kind is left to SQLite (the first already widens)
  }
  // an empty intersection is left to SQLite rather than sent as an impossible filter
  return [...parts.values()].filter((p) => p.values.length > 0);
}

function render(f: FilterSpec, parts: Part[]): string {
  if (f.format === 'list') {
    const items = parts.map((p) => fillItem(f.columns[p.column][p.op] as Record<string, string>, p.values[0]));
    return JSON.stringify(items);
  }
  return parts
    .map((p) => {
      const t = f.columns[p.column][p.op] as string;
      const alts = p.values.map((v) => fillText(t, v, f));
      return alts.length > 1 ? `(${alts.join(f.anyOf)})` : alts[0];
    })
    .join(f.join);
}

function isText(t: Template): boolean {
  return typeof t === 'string';
}

/** Fills every filter parameter of the resource from the reference's conjuncts. */
export function filterPushdown(res: ResourceRef, conjuncts: Conjunct[], columnOf: (c: ColumnName) => string | undefined): FilterPushdown {
  const out: FilterPushdown = { values: new Map(), consumed: new Set(), notes: [], skipped: new Map() };
  for (const [name, spec] of Object.entries(res.spec.parameters)) {
    const f = spec.filter;
    if (!f) continue;
    const ci = new Set(res.spec.columns.filter((c) => c.caseInsensitive).map((c) => c.name));
    const parts = collect(f, conjuncts, columnOf, ci, out.skipped).filter((p) => isText(f.columns[p.column][p.op]) === (f.format === 'expression'));
    if (parts.length === 0) continue;
    const value = render(f, parts);
    out.values.set(name, value);
    for (const p of parts) for (const c of p.conjuncts) out.consumed.add(c);
    out.notes.push({ text: parts.flatMap((p) => p.texts).join(' AND '), detail: `${name} → ${value}` });
  }
  return out;
}
