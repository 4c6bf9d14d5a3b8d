// History pushdown: which conjuncts of the user's WHERE become filters of the history database.
// The rule is the engine's: a pushed filter may only widen what is read; the whole WHERE runs
// again in the in-memory SQLite. Only `col op literal`, `col IN (literals)` and BETWEEN on a
// stored column of this table reference are candidates; each driver then pushes only what it can
// say with the same meaning (SQLite: all of them; PostgreSQL: see pgFilter).
import type { ResourceRef } from '../manifest/catalog.js';
import type { Operand, ScopedConjunct, TableReference, ColumnName } from '../sql/types.js';
import type { Filter } from './store.js';
import { FIRST_SEEN, GONE_AT, LAST_SEEN, type HistoryColumn, type HistoryTableDef } from './table.js';

type Value = string | number | boolean;

/** Every name a reference answers to (lower case) → the history column, or null for a request parameter not stored. */
export function historyNames(res: ResourceRef, def: HistoryTableDef | undefined): Map<string, HistoryColumn | null> {
  const m = new Map<string, HistoryColumn | null>();
  const cols = new Map((def?.columns ?? []).map((c) => [c.name.toLowerCase(), c]));
  for (const c of res.spec.columns) m.set(c.name.toLowerCase(), cols.get(c.name.toLowerCase()) ?? null);
  for (const [p, spec] of Object.entries(res.spec.parameters)) {
    const stored = cols.get(p.toLowerCase()) ?? null;
    if (!m.has(p.toLowerCase())) m.set(p.toLowerCase(), stored);
    for (const a of spec.aliases) m.set(a.toLowerCase(), m.get(p.toLowerCase()) ?? null);
  }
  for (const s of def?.sighting ?? [FIRST_SEEN, LAST_SEEN, GONE_AT]) m.set(s, { name: s, type: 'datetime', caseInsensitive: false, param: false });
  return m;
}

/** A literal's value; undefined for NULL and for an expression SQLite could not evaluate alone. */
function value(l: Operand): Value | undefined {
  return l.kind === 'null' || l.kind === 'expr' ? undefined : l.value;
}

function owns(col: ColumnName, ref: TableReference, scope: TableReference[], names: (r: TableReference) => Map<string, unknown>): boolean {
  const lower = col.column.toLowerCase();
  if (!names(ref).has(lower)) return false;
  if (col.table !== null) return col.table.toLowerCase() === (ref.alias ?? ref.resourceId.split('.')[2]).toLowerCase();
  return scope.filter((r) => names(r).has(lower)).length === 1;
}

export interface ReferenceFilters {
  filters: Filter[];
  /** Values for request-parameter columns that history does not store, bound by `=` (or a one-value IN). */
  fill: Map<string, Value>;
}

/**
 * The filters for one table reference. `names(r)` gives the name map of any reference of the
 * statement (an unqualified column that two references of the scope have is not attributed).
 */
export function referenceFilters(
  ref: TableReference,
  conjuncts: ScopedConjunct[],
  scope: TableReference[],
  names: (r: TableReference) => Map<string, HistoryColumn | null>,
): ReferenceFilters {
  const mine = names(ref);
  const filters: Filter[] = [];
  const fill = new Map<string, Value>();
  for (const { conjunct: c, eligible } of conjuncts) {
    if (!eligible.includes(ref.index) || c.kind === 'other') continue;
    if (!owns(c.column, ref, scope, names)) continue;
    // a value that follows the clock ('now') is later when SQLite runs the statement: it may only
    // serve as a lower bound, which it then widens
    const lowerOnly = c.volatile === true;
    const lower = c.column.column.toLowerCase();
    const col = mine.get(lower);
    if (col === undefined) continue;
    if (col === null) {
      if (lowerOnly) continue;
      // a request parameter history does not keep: the reference's rows carry the bound value,
      // as live rows carry the value they were fetched with
      const v = c.kind === 'compare' && c.op === '=' ? value(c.value) : c.kind === 'in' && c.values.length === 1 ? value(c.values[0]) : undefined;
      if (v !== undefined) fill.set(lower, v);
      continue;
    }
    if (c.kind === 'compare') {
      const v = value(c.value);
      if (v !== undefined && (!lowerOnly || c.op === '>=' || c.op === '>')) filters.push({ column: col, op: c.op, values: [v], text: c.text });
    } else if (c.kind === 'in') {
      if (lowerOnly) continue;
      const vs = c.values.map(value);
      if (vs.length && vs.every((v) => v !== undefined)) filters.push({ column: col, op: 'in', values: vs as Value[], text: c.text });
    } else {
      const lo = value(c.low);
      const hi = value(c.high);
      if (lo !== undefined) filters.push({ column: col, op: '>=', values: [lo], text: c.text });
      if (hi !== undefined && !lowerOnly) filters.push({ column: col, op: '<=', values: [hi], text: c.text });
    }
  }
  return { filters, fill };
}
