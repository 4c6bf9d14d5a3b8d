// Planning (no I/O): for each table reference, which parameter values its top-level conjuncts
// bind, which fetches that needs, and the SQLite table that will hold them. The rule: a pushed
// predicate may only widen what is fetched; SQLite re-applies the user's whole WHERE.
import { SessqlError } from '../errors.js';
import type { ResourceRef } from '../manifest/catalog.js';
import type { ColumnSpec, ParameterSpec } from '../manifest/schema.js';
import type { ColumnName, Predicate, QueryAnalysis, ScopedConjunct, TableReference } from '../sql/types.js';
import {
  defaultValue,
  durationMs,
  isoInstant,
  literalText,
  literalToScalar,
  safeLowerBound,
  wireValue,
  type Scalar,
} from './values.js';

/** One API call sequence (all pages) of one resource with one set of parameter values. */
export interface FetchSpec {
  key: string;
  resourceId: string;
  /** SQL values of every parameter, as the rows' parameter columns will hold them. */
  sqlValues: Record<string, Scalar>;
  /** Values sent on the wire, by parameter name. */
  wire: Record<string, Scalar>;
  /** Stop after this many rows (LIMIT pushdown). */
  maxRows?: number;
  /**
   * Parameters to enumerate at run time by listing another resource; the fetch expands into one
   * call per listed row (`columns`: parameter ← column of the listed resource).
   */
  enumerate?: { fetch: FetchSpec; columns: Record<string, string> };
}

export type TableColumn =
  | { name: string; kind: 'row'; spec: ColumnSpec }
  | { name: string; kind: 'param'; param: string }
  | { name: string; kind: 'alias'; param: string };

export interface TablePlan {
  name: string;
  resourceId: string;
  columns: TableColumn[];
  /** Columns that identify a row (key columns + parameter columns). */
  unique: string[];
  fetchKeys: string[];
}

export interface PlanNote {
  reference: string;
  pushed: boolean;
  text: string;
  detail: string;
}

export interface QueryPlan {
  tables: TablePlan[];
  fetches: Map<string, FetchSpec>;
  /** SQLite table name for each table span (in span order). */
  spanTables: string[];
  notes: PlanNote[];
  warnings: string[];
}

export interface PlanContext {
  resolve(resourceId: string): ResourceRef;
  config(provider: string): Record<string, string | undefined>;
  now: number;
  /** When false, nothing is pushed except what a parameter needs (for comparisons in tests). */
  pushdown?: boolean;
  /** Upper bound on the number of fetches a statement may fan out to. */
  maxFanOut?: number;
}

type ValueSet = { values: Scalar[]; source: string[] };

/** Every name a column of the resource answers to, lower-cased → canonical column. */
function nameIndex(res: ResourceRef): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of res.spec.columns) m.set(c.name.toLowerCase(), c.name);
  for (const [p, spec] of Object.entries(res.spec.parameters)) {
    m.set(p.toLowerCase(), p);
    for (const a of spec.aliases) m.set(a.toLowerCase(), p);
  }
  return m;
}

export function tableColumns(res: ResourceRef, usedAliases: Set<string> = new Set()): TableColumn[] {
  const cols: TableColumn[] = res.spec.columns.map((spec) => ({ name: spec.name, kind: 'row', spec }));
  const rowNames = new Set(res.spec.columns.map((c) => c.name.toLowerCase()));
  for (const [p, spec] of Object.entries(res.spec.parameters)) {
    if (!rowNames.has(p.toLowerCase())) cols.push({ name: p, kind: 'param', param: p });
    for (const a of spec.aliases) if (usedAliases.has(a.toLowerCase())) cols.push({ name: a, kind: 'alias', param: p });
  }
  return cols;
}

function referenceLabel(ref: TableReference): string {
  return ref.alias ? `${ref.resourceId} AS ${ref.alias}` : ref.resourceId;
}

/** Which of the scope's references a column name belongs to (undefined if none or ambiguous). */
function attribute(col: ColumnName, ref: TableReference, scopeRefs: TableReference[], ctx: PlanContext): string | undefined {
  const own = nameIndex(ctx.resolve(ref.resourceId));
  const canonical = own.get(col.column.toLowerCase());
  if (!canonical) return undefined;
  if (col.table !== null) {
    const qualifier = col.table.toLowerCase();
    const mine = (ref.alias ?? ref.resourceId.split('.')[2]).toLowerCase();
    return qualifier === mine ? canonical : undefined;
  }
  const holders = scopeRefs.filter((r) => nameIndex(ctx.resolve(r.resourceId)).has(col.column.toLowerCase()));
  return holders.length === 1 ? canonical : undefined;
}

export function planQuery(analysis: QueryAnalysis, ctx: PlanContext, usedIdentifiers: Set<string>): QueryPlan {
  const plan: QueryPlan = { tables: [], fetches: new Map(), spanTables: [], notes: [], warnings: [] };
  if (analysis.unanalysed) {
    plan.warnings.push(`sessql could not analyse this statement (${analysis.unanalysed}); no predicates are pushed down to the APIs`);
  }
  const tablesByKey = new Map<string, TablePlan>();
  const byIndex = new Map<number, TableReference>(analysis.references.map((r) => [r.index, r]));
  const spanCount = analysis.references.length;
  for (let i = 0; i < spanCount; i++) {
    const ref = byIndex.get(i);
    if (!ref) throw new SessqlError('INTERNAL', `table reference ${i} was not found by the parser`);
    const fetchKeys = planReference(ref, analysis, ctx, plan);
    const res = ctx.resolve(ref.resourceId);
    const tableKey = `${ref.resourceId}|${fetchKeys.join('|')}`;
    let table = tablesByKey.get(tableKey);
    if (!table) {
      const n = plan.tables.filter((t) => t.resourceId === ref.resourceId).length + 1;
      const columns = tableColumns(res, usedIdentifiers);
      const params = columns.filter((c) => c.kind !== 'row').map((c) => c.name);
      table = {
        name: `${ref.resourceId.replace(/\./g, '_')}_${n}`,
        resourceId: ref.resourceId,
        columns,
        unique: res.spec.key.length ? [...res.spec.key, ...params] : [],
        fetchKeys,
      };
      tablesByKey.set(tableKey, table);
      plan.tables.push(table);
    }
    plan.spanTables.push(table.name);
  }
  const total = plan.fetches.size;
  if (total > (ctx.maxFanOut ?? 500)) {
    throw new SessqlError('INVALID_PARAMETER', `this statement would make ${total} separate API fetches (limit ${ctx.maxFanOut ?? 500})`, {
      hint: 'narrow the IN lists in the WHERE clause',
    });
  }
  return plan;
}

function planReference(ref: TableReference, analysis: QueryAnalysis, ctx: PlanContext, plan: QueryPlan): string[] {
  const res = ctx.resolve(ref.resourceId);
  const label = referenceLabel(ref);
  const scopeRefs = analysis.references.filter((r) => r.scope === ref.scope);
  const mine = analysis.conjuncts.filter((c) => c.eligible.includes(ref.index));
  const sets = new Map<string, ValueSet>();
  const lowerBounds = new Map<string, { ms: number; text: string }>();
  let exact = true;
  const pushdown = ctx.pushdown !== false;

  for (const { conjunct } of mine) {
    if (conjunct.kind === 'other') {
      const touches = conjunct.columns.some((c) => attribute(c, ref, scopeRefs, ctx));
      if (touches) {
        exact = false;
        plan.notes.push({ reference: label, pushed: false, text: conjunct.text, detail: conjunct.reason });
      }
      continue;
    }
    const column = attribute(conjunct.column, ref, scopeRefs, ctx);
    if (!column) continue;
    const param = res.spec.parameters[column];
    const pushable = param && (pushdown || !res.spec.columns.some((c) => c.name === column));
    if (param && pushable && (conjunct.kind === 'in' || (conjunct.kind === 'compare' && conjunct.op === '='))) {
      bind(sets, column, conjunct);
      continue;
    }
    const bound = pushdown ? lowerBoundFrom(conjunct, column, res.spec.parameters) : undefined;
    if (bound) {
      const prev = lowerBounds.get(bound.param);
      if (!prev || bound.ms > prev.ms) lowerBounds.set(bound.param, { ms: bound.ms, text: conjunct.text });
      exact = false;
      continue;
    }
    exact = false;
    plan.notes.push({
      reference: label,
      pushed: false,
      text: conjunct.text,
      detail: param ? 'only = and IN bind a parameter: evaluated by SQLite' : `${column} is not an API parameter: filtered by SQLite`,
    });
  }
  const cfg = ctx.config(res.provider);
  const choices: Array<{ name: string; sql: Scalar[]; wire: Scalar[] }> = [];
  let enumeration: FetchSpec['enumerate'];
  for (const [name, spec] of Object.entries(res.spec.parameters)) {
    const pctx = { table: ref.resourceId, name, spec, now: ctx.now };
    const set = sets.get(name);
    if (set) {
      const values = dedupe(set.values);
      const wire = values.map((v) => wireValue(v, pctx));
      plan.notes.push({ reference: label, pushed: true, text: set.source.join(' AND '), detail: `${name} → ${describeValues(wire)}${values.length > 1 ? ` (${values.length} calls)` : ''}` });
      choices.push({ name, sql: values, wire });
      continue;
    }
    const bound = lowerBounds.get(name);
    if (bound) {
      const ms = clampToWindow(bound.ms, spec, ctx.now);
      const v = isoInstant(ms);
      plan.notes.push({
        reference: label,
        pushed: true,
        text: bound.text,
        detail: `${name} → ${v} (widened: the API returns every row at or after it)${ms !== bound.ms ? '; clamped to the API history window' : ''}`,
      });
      choices.push({ name, sql: [v], wire: [v] });
      continue;
    }
    const def = defaultValue(spec, ctx.now, cfg);
    if (def !== undefined) {
      const wire = wireValue(def, { ...pctx, spec: { ...spec, maxAge: undefined } });
      plan.notes.push({ reference: label, pushed: true, text: '(default)', detail: `${name} → ${describeValues([wire])}` });
      choices.push({ name, sql: [def], wire: [wire] });
      continue;
    }
    if (spec.required) {
      if (spec.enumerate === 'enum' && spec.enum) {
        plan.notes.push({ reference: label, pushed: true, text: '(unbound)', detail: `${name} → each of ${spec.enum.join(', ')}` });
        choices.push({ name, sql: spec.enum, wire: spec.enum.map((v) => wireValue(v, pctx)) });
        continue;
      }
      if (spec.enumerate && spec.enumerate !== 'enum') {
        enumeration = enumeration ?? { fetch: undefined as unknown as FetchSpec, columns: {} };
        enumeration.columns[name] = spec.enumerate.columns[name] ?? name;
        continue;
      }
      missing(ref, res, name);
    }
  }
  if (enumeration) {
    enumeration = planEnumeration(ref, res, enumeration.columns, choices, ctx, plan);
  }
  if (!pushdown) exact = false;
  const maxRows = analysis.limit?.reference === ref.index && exact ? analysis.limit.rows : undefined;
  return expand(ref.resourceId, choices, plan, maxRows, enumeration);
}

function missing(ref: TableReference, res: ResourceRef, first: string): never {
  const required = Object.entries(res.spec.parameters).filter(([, s]) => s.required && !s.enumerate && s.default === undefined && !s.defaultFromConfig);
  const names = required.map(([n]) => n);
  const where = required.map(([n, s]) => `${n} = ${s.enum ? `'${s.enum[0]}'` : `'<${n}>'`}`).join(' AND ');
  throw new SessqlError('MISSING_PARAMETER', `${ref.resourceId} needs ${names.length > 1 ? 'the parameters' : 'the parameter'} ${names.join(', ') || first} in the WHERE clause`, {
    hint: `add: WHERE ${where}${res.spec.parameters[first]?.enum ? ` (${first} is one of ${res.spec.parameters[first].enum!.join(', ')})` : ''}`,
  });
}

function bind(sets: Map<string, ValueSet>, param: string, p: Predicate): void {
  const values = (p.kind === 'in' ? p.values : p.kind === 'compare' ? [p.value] : [])
    .map(literalToScalar)
    .filter((v): v is Scalar => v !== null);
  const prev = sets.get(param);
  if (!prev) {
    sets.set(param, { values, source: [p.text] });
    return;
  }
  // Two conjuncts on one parameter: only values both allow can satisfy the WHERE.
  const allowed = new Set(values.map(String));
  prev.values = prev.values.filter((v) => allowed.has(String(v)));
  prev.source.push(p.text);
}

function lowerBoundFrom(p: Predicate, column: string, params: Record<string, ParameterSpec>): { param: string; ms: number } | undefined {
  const param = Object.entries(params).find(([, s]) => s.lowerBoundOf === column)?.[0];
  if (!param) return undefined;
  const lit = p.kind === 'between' ? p.low : p.kind === 'compare' && (p.op === '>=' || p.op === '>' || p.op === '=') ? p.value : undefined;
  if (!lit || lit.kind !== 'string') return undefined;
  const ms = safeLowerBound(lit.value);
  return ms === undefined || Number.isNaN(ms) ? undefined : { param, ms };
}

function clampToWindow(ms: number, spec: ParameterSpec, now: number): number {
  if (!spec.maxAge) return ms;
  // a minute inside the window, so the request is still valid when it reaches the API
  const oldest = now - durationMs(spec.maxAge) + 60_000;
  return Math.max(ms, oldest);
}

function dedupe(values: Scalar[]): Scalar[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = `${typeof v}:${v}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describeValues(values: Scalar[]): string {
  return values.length === 0 ? '(no value can match: nothing is fetched)' : values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

/** One FetchSpec per combination of values; returns their keys. */
function expand(resourceId: string, choices: Array<{ name: string; sql: Scalar[]; wire: Scalar[] }>, plan: QueryPlan, maxRows: number | undefined, enumeration?: FetchSpec['enumerate']): string[] {
  let combos: Array<{ sql: Record<string, Scalar>; wire: Record<string, Scalar> }> = [{ sql: {}, wire: {} }];
  for (const c of choices) {
    const next: typeof combos = [];
    for (const combo of combos) {
      c.sql.forEach((v, i) => next.push({ sql: { ...combo.sql, [c.name]: v }, wire: { ...combo.wire, [c.name]: c.wire[i] } }));
    }
    combos = next;
  }
  const keys = combos.map((combo) => {
    const key = fetchKey(resourceId, combo.sql, maxRows, enumeration);
    if (!plan.fetches.has(key)) plan.fetches.set(key, { key, resourceId, sqlValues: combo.sql, wire: combo.wire, maxRows, enumerate: enumeration });
    return key;
  });
  return keys.sort();
}

export function fetchKey(resourceId: string, sqlValues: Record<string, Scalar>, maxRows?: number, enumeration?: FetchSpec['enumerate']): string {
  const sorted = Object.keys(sqlValues)
    .sort()
    .map((k) => [k, sqlValues[k]]);
  return JSON.stringify([resourceId, sorted, maxRows ?? null, enumeration?.fetch.key ?? null]);
}

/** Plans the listing that enumerates unbound required parameters (e.g. bastion hosts). */
function planEnumeration(
  ref: TableReference,
  res: ResourceRef,
  columns: Record<string, string>,
  choices: Array<{ name: string; sql: Scalar[]; wire: Scalar[] }>,
  ctx: PlanContext,
  plan: QueryPlan,
): FetchSpec['enumerate'] {
  const spec = Object.values(res.spec.parameters).find((p) => p.enumerate && p.enumerate !== 'enum')?.enumerate;
  if (!spec || spec === 'enum') throw new SessqlError('INTERNAL', 'enumeration without a resource');
  const listed = ctx.resolve(spec.resource);
  // Parameters bound on this reference that the listed resource also takes narrow the listing.
  const sqlValues: Record<string, Scalar> = {};
  const wire: Record<string, Scalar> = {};
  for (const c of choices) {
    if (listed.spec.parameters[c.name] && c.sql.length === 1) {
      sqlValues[c.name] = c.sql[0];
      wire[c.name] = c.wire[0];
    }
  }
  const cfg = ctx.config(listed.provider);
  for (const [name, p] of Object.entries(listed.spec.parameters)) {
    if (sqlValues[name] !== undefined) continue;
    const def = defaultValue(p, ctx.now, cfg);
    if (def !== undefined) {
      sqlValues[name] = def;
      wire[name] = def;
    } else if (p.required) {
      missing(ref, res, name);
    }
  }
  const key = fetchKey(listed.id, sqlValues);
  const fetch: FetchSpec = { key, resourceId: listed.id, sqlValues, wire };
  plan.notes.push({
    reference: referenceLabel(ref),
    pushed: true,
    text: '(unbound)',
    detail: `${Object.keys(columns).join(', ')} → each row of ${listed.id}${Object.keys(sqlValues).length ? ` WHERE ${Object.entries(sqlValues).map(([k, v]) => `${k} = ${literalText(typeof v === 'string' ? { kind: 'string', value: v } : typeof v === 'number' ? { kind: 'number', value: v } : { kind: 'boolean', value: v })}`).join(' AND ')}` : ''}`,
  });
  return { fetch, columns };
}

export type { ScopedConjunct };
