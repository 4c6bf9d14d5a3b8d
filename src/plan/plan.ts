// Planning (no I/O): for each table reference, which parameter values its top-level conjuncts
// bind, which fetches that needs, and the SQLite table that will hold them. The rule: a pushed
// predicate may only widen what is fetched; SQLite re-applies the user's whole WHERE.
import { SessqlError } from '../errors.js';
import type { ResourceRef } from '../manifest/catalog.js';
import { lowerBoundColumns, type ColumnSpec, type ParameterSpec } from '../manifest/schema.js';
import type { ColumnName, Literal, Predicate, QueryAnalysis, ScopedConjunct, TableReference } from '../sql/types.js';
import { filterPushdown } from './filter-expression.js';
import {
  defaultValue,
  durationMs,
  isoInstant,
  literalToScalar,
  parseDateTime,
  safeLowerBound,
  sqlInstant,
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
  /** Identifies cached rows: like `key`, but a `now-…` default does not change it. */
  cacheKey: string;
  /**
   * Parameters to enumerate at run time by listing another resource: the listing's fetches run
   * first, and this fetch expands into one call per listed row whose values agree with the
   * bound ones (`columns`: parameter ← column of the listed resource).
   */
  enumerate?: { fetches: string[]; columns: Record<string, string> };
  /**
   * Sub-windows of a long time window (wire values of the window's start and end parameters):
   * the loader probes the whole window first and, when more pages follow and the rate limit
   * leaves room, fetches these concurrently. Decided here so that EXPLAIN shows them.
   */
  subWindows?: Array<Record<string, Scalar | undefined>>;
}

export type TableColumn =
  { name: string; kind: 'row'; spec: ColumnSpec } | { name: string; kind: 'param'; param: string } | { name: string; kind: 'alias'; param: string };

export interface TablePlan {
  name: string;
  resourceId: string;
  columns: TableColumn[];
  /** Columns that identify a row (key columns + parameter columns). */
  unique: string[];
  fetchKeys: string[];
  /** Columns filled from another resource (manifest `lookup`), with the fetches that list it. */
  lookups: Lookup[];
}

export interface Lookup {
  column: string;
  /** This resource's column matched against `match` of the listed resource, whose `value` fills `column`. */
  key: string;
  match: string;
  value: string;
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
  /** Notices worth saying once per engine (the API's default window), not on every statement. */
  notices: string[];
}

export interface PlanContext {
  resolve(resourceId: string): ResourceRef;
  config(provider: string): Record<string, string | undefined>;
  now: number;
  /** When false, nothing is pushed except what a parameter needs (for comparisons in tests). */
  pushdown?: boolean;
  /** Upper bound on the number of fetches a statement may fan out to. */
  maxFanOut?: number;
  /** Sub-windows a long time window of the provider is split into (1 disables). */
  windowSplit?: (provider: string) => number;
}

type ValueSet = { values: Scalar[]; source: string[] };

/** Every name a column of the resource answers to, lower-cased → canonical column. */
function nameIndex(res: ResourceRef): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of res.spec.columns) m.set(c.name.toLowerCase(), c.name);
  for (const [p, spec] of Object.entries(res.spec.parameters)) {
    if (spec.filter) continue; // filled by pushdown, not a column
    m.set(p.toLowerCase(), p);
    for (const a of spec.aliases) m.set(a.toLowerCase(), p);
  }
  return m;
}

export function tableColumns(res: ResourceRef, usedAliases: Set<string> = new Set()): TableColumn[] {
  const cols: TableColumn[] = res.spec.columns.map((spec) => ({ name: spec.name, kind: 'row', spec }));
  const rowNames = new Set(res.spec.columns.map((c) => c.name.toLowerCase()));
  for (const [p, spec] of Object.entries(res.spec.parameters)) {
    if (spec.filter) continue;
    if (!rowNames.has(p.toLowerCase())) cols.push({ name: p, kind: 'param', param: p });
    // an alias that is also a row column (Terraform's connection_status for status) is that column
    for (const a of spec.aliases)
      if (usedAliases.has(a.toLowerCase()) && !rowNames.has(a.toLowerCase())) cols.push({ name: a, kind: 'alias', param: p });
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
  const plan: QueryPlan = { tables: [], fetches: new Map(), spanTables: [], notes: [], warnings: [], notices: [] };
  if (analysis.unanalysed) {
    plan.warnings.push(
      `sessql could not analyse this statement (${analysis.unanalysed}): nothing is pushed down, and every table is fetched as wide as its API allows`,
    );
  }
  const tablesByKey = new Map<string, TablePlan>();
  const byIndex = new Map<number, TableReference>(analysis.references.map((r) => [r.index, r]));
  const spanCount = analysis.references.length;
  for (let i = 0; i < spanCount; i++) {
    const ref = byIndex.get(i);
    if (!ref) throw new SessqlError('INTERNAL', `table reference ${i} was not placed by the analysis`);
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
        lookups: planLookups(res, ctx, plan, referenceLabel(ref), usedIdentifiers),
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
  let exact = !analysis.unanalysed;
  const pushdown = ctx.pushdown !== false;
  const filters = pushdown
    ? filterPushdown(
        res,
        mine.map((c) => c.conjunct),
        (c) => attribute(c, ref, scopeRefs, ctx),
      )
    : undefined;

  for (const { conjunct } of mine) {
    if (filters?.consumed.has(conjunct)) {
      exact = false;
      continue;
    }
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
    const values = literalsOf(conjunct);
    const param = res.spec.parameters[column];
    const pushable = param && (pushdown || !res.spec.columns.some((c) => c.name === column));
    if (param && pushable && values && !conjunct.volatile && (conjunct.kind === 'in' || (conjunct.kind === 'compare' && conjunct.op === '='))) {
      bind(sets, column, values, conjunct.text);
      continue;
    }
    const bound = pushdown && values ? lowerBoundFrom(conjunct, values, column, res.spec.parameters) : undefined;
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
      detail:
        filters?.skipped.get(conjunct) ??
        (!values
          ? 'compared with a column or an expression SQLite cannot evaluate alone: evaluated by SQLite'
          : param && conjunct.volatile
            ? "a value that changes with the clock ('now') does not bind a parameter: evaluated by SQLite"
            : param
              ? 'only = and IN bind a parameter: evaluated by SQLite'
              : `${column} is not an API parameter: filtered by SQLite`),
    });
  }
  if (!pushdown) exact = false;
  const bound = new Map<string, Scalar[]>();
  /** Values derived from the clock, keyed by what they mean so the fetch cache can reuse them. */
  const stable = new Map<string, string>();
  for (const [name, set] of sets) bound.set(name, dedupe(set.values));
  for (const [name, value] of filters?.values ?? []) bound.set(name, [value]);
  for (const n of filters?.notes ?? [])
    plan.notes.push({ reference: label, pushed: true, text: n.text, detail: `${n.detail} (the API filters as SQL does, or wider)` });
  for (const [name, spec] of Object.entries(res.spec.parameters)) {
    if (!spec.lowerBoundOf || bound.has(name)) continue; // an explicit binding wins over a derived bound
    const b = lowerBounds.get(name);
    if (b) {
      const ms = clampToWindow(b.ms, spec, ctx.now);
      const v = sqlInstant(ms);
      plan.notes.push({
        reference: label,
        pushed: true,
        text: b.text,
        detail: `${name} → ${isoInstant(ms)} (widened: the API returns every row at or after it)${ms !== b.ms ? '; clamped to the API history window' : ''}`,
      });
      bound.set(name, [v]);
      continue;
    }
    const why = widenReason(res, analysis);
    if (why) {
      exact = false;
      bound.set(name, [widest(res, name, spec, ctx.now, label, why, plan)]);
      stable.set(name, '(widest)');
    } else if (typeof spec.default === 'string' && spec.default.startsWith('now-')) {
      const window = durationText(spec.default.slice(4));
      plan.notices.push(
        `${res.id}: no time bound, so the API returns only its default window (the last ${window})` +
          (spec.maxAge ? `; add WHERE ${lowerBoundColumns(spec)[0]} >= date('now','-N days') for up to ${durationText(spec.maxAge)}` : ''),
      );
    }
  }
  const maxRows = analysis.limit?.reference === ref.index && exact ? analysis.limit.rows : undefined;
  const sources = new Map([...sets].map(([k, v]) => [k, v.source.join(' AND ')]));
  return resolveFetches(res, bound, ctx, plan, label, maxRows, sources, stable);
}

/**
 * The lookup columns a statement uses (by name, or through `SELECT *`; the engine adds `*` to the
 * identifiers then): each lists its resource once, and the view fills the column from it.
 */
function planLookups(res: ResourceRef, ctx: PlanContext, plan: QueryPlan, label: string, used: Set<string>): Lookup[] {
  const out: Lookup[] = [];
  for (const c of res.spec.columns) {
    if (!c.lookup || !(used.has(c.name.toLowerCase()) || used.has('*'))) continue;
    const listed = ctx.resolve(c.lookup.resource);
    const fetchKeys = resolveFetches(listed, new Map(), ctx, plan, `${label} (lookup)`, undefined);
    plan.notes.push({
      reference: label,
      pushed: true,
      text: '(lookup)',
      detail: `${c.name} ← ${c.lookup.column} of ${listed.id} where ${c.lookup.match} = ${c.lookup.key}, when the API leaves it out`,
    });
    out.push({ column: c.name, key: c.lookup.key, match: c.lookup.match, value: c.lookup.column, fetchKeys });
  }
  return out;
}

/** Why a reference without a pushable lower bound must be fetched as wide as the API allows. */
function widenReason(res: ResourceRef, analysis: QueryAnalysis): string | undefined {
  if (analysis.unanalysed) return 'the statement could not be analysed';
  const names = timeNames(res).filter((n) => analysis.filterIdentifiers.has(n.toLowerCase()));
  if (names.length) return `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} filtered in a way that gives no lower bound sessql can push`;
  return undefined;
}

/** Columns and parameters of a resource that hold instants. */
function timeNames(res: ResourceRef): string[] {
  const names = res.spec.columns.filter((c) => c.type === 'datetime').map((c) => c.name);
  for (const [p, spec] of Object.entries(res.spec.parameters)) if (spec.type === 'datetime') names.push(p, ...spec.aliases);
  return [...new Set(names)];
}

/** The oldest instant the API serves, for a window parameter that cannot be bound from the WHERE. */
function widest(res: ResourceRef, name: string, spec: ParameterSpec, now: number, label: string, why: string, plan: QueryPlan): string {
  if (!spec.maxAge) {
    throw new SessqlError(
      'UNSAFE_PUSHDOWN',
      `${label}: ${why}, and the API's history window is unknown, so sessql cannot fetch every row the statement may need`,
      {
        hint: `add a plain lower bound to the WHERE clause, for example ${lowerBoundColumns(spec)[0] ?? name} >= '2026-01-01'`,
      },
    );
  }
  const ms = clampToWindow(0, spec, now);
  plan.notes.push({
    reference: label,
    pushed: true,
    text: '(widened)',
    detail: `${name} → ${isoInstant(ms)}: ${why}, so the API's whole history window (${durationText(spec.maxAge)}) is fetched`,
  });
  plan.warnings.push(`${label}: ${why}; fetching the API's whole history window (${durationText(spec.maxAge)})`);
  return sqlInstant(ms);
}

/** "1 day", "30 days", "6 hours" for an ISO-8601 duration. */
function durationText(iso: string): string {
  const ms = durationMs(iso);
  const [n, unit] = ms % 86_400_000 === 0 ? [ms / 86_400_000, 'day'] : ms % 3_600_000 === 0 ? [ms / 3_600_000, 'hour'] : [ms / 60_000, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The literal values of a predicate (undefined while one is an unevaluated expression). */
function literalsOf(p: Predicate): Literal[] | undefined {
  const ops = p.kind === 'in' ? p.values : p.kind === 'compare' ? [p.value] : [p.low, p.high];
  return ops.every((o): o is Literal => o.kind !== 'expr') ? ops : undefined;
}

/**
 * The fetches a resource needs for the bound values: bound parameters, then defaults, then
 * enumeration (enum values, or listing another resource, recursively), else a MISSING_PARAMETER.
 */
function resolveFetches(
  res: ResourceRef,
  bound: Map<string, Scalar[]>,
  ctx: PlanContext,
  plan: QueryPlan,
  label: string,
  maxRows: number | undefined,
  noteBound: Map<string, string> = new Map(),
  stable: Map<string, string> = new Map(),
): string[] {
  const cfg = ctx.config(res.provider);
  const choices: Choice[] = [];
  const enumerated: string[] = [];
  let listing: { resource: string; columns: Record<string, string> } | undefined;
  for (const [name, spec] of Object.entries(res.spec.parameters)) {
    const pctx = { table: res.id, name, spec, now: ctx.now };
    const values = bound.get(name);
    if (values) {
      const wire = values.map((v) => wireValue(v, pctx));
      const text = noteBound.get(name);
      if (text !== undefined) {
        const set = values.length > 1 ? ` (${values.length} calls)` : '';
        plan.notes.push({ reference: label, pushed: true, text, detail: `${name} → ${describeValues(wire)}${set}` });
      }
      choices.push({ name, sql: values, wire, stable: stable.get(name) });
      continue;
    }
    const def = defaultValue(spec, ctx.now, cfg);
    if (def !== undefined) {
      const wire = wireValue(def, { ...pctx, spec: { ...spec, maxAge: undefined } });
      const fromNow = typeof spec.default === 'string' && spec.default.startsWith('now-') && !spec.defaultFromConfig ? '(default)' : undefined;
      plan.notes.push({ reference: label, pushed: true, text: '(default)', detail: `${name} → ${describeValues([wire])}` });
      choices.push({ name, sql: [def], wire: [wire], stable: fromNow });
      continue;
    }
    if (!spec.required) continue;
    if (spec.enumerate === 'enum' && spec.enum) {
      plan.notes.push({ reference: label, pushed: true, text: '(unbound)', detail: `${name} → each of ${spec.enum.join(', ')}` });
      choices.push({ name, sql: spec.enum, wire: spec.enum.map((v) => wireValue(v, pctx)) });
    } else if (spec.enumerate && spec.enumerate !== 'enum') {
      listing = spec.enumerate;
      enumerated.push(name);
    } else {
      missing(res, name);
    }
  }
  let enumeration: FetchSpec['enumerate'];
  if (listing) {
    const listed = ctx.resolve(listing.resource);
    // what this reference binds narrows the listing, when the listed resource takes it too
    const listBound = new Map<string, Scalar[]>();
    for (const c of choices) {
      const column = listing.columns[c.name];
      if (column && listed.spec.parameters[column]) listBound.set(column, c.sql);
    }
    const fetches = resolveFetches(listed, listBound, ctx, plan, `${label} (listing)`, undefined);
    const columns = Object.fromEntries(Object.entries(listing.columns));
    plan.notes.push({
      reference: label,
      pushed: true,
      text: '(unbound)',
      detail: `${enumerated.join(', ')} → each row of ${listed.id}, then one call per row`,
    });
    enumeration = { fetches, columns };
  }
  const n = ctx.windowSplit?.(res.provider) ?? 1;
  const split = res.spec.windowSplit && maxRows === undefined && n > 1 ? { ...res.spec.windowSplit, n, now: ctx.now } : undefined;
  return expand(res.id, choices, plan, maxRows, enumeration, split);
}

interface Choice {
  name: string;
  sql: Scalar[];
  wire: Scalar[];
  /** A value derived from the clock (`(default)`, `(widest)`): equal statements share a cached fetch as the clock moves. */
  stable?: string;
}

function missing(res: ResourceRef, first: string): never {
  const required = Object.entries(res.spec.parameters).filter(
    ([, s]) => s.required && !s.enumerate && s.default === undefined && !s.defaultFromConfig,
  );
  const names = required.map(([n]) => n);
  const where = required.map(([n, s]) => `${n} = ${s.enum ? `'${s.enum[0]}'` : `'<${n}>'`}`).join(' AND ');
  throw new SessqlError(
    'MISSING_PARAMETER',
    `${res.id} needs ${names.length > 1 ? 'the parameters' : 'the parameter'} ${names.join(', ') || first} in the WHERE clause`,
    {
      hint: `add: WHERE ${where}${res.spec.parameters[first]?.enum ? ` (${first} is one of ${res.spec.parameters[first].enum!.join(', ')})` : ''}`,
    },
  );
}

function bind(sets: Map<string, ValueSet>, param: string, literals: Literal[], text: string): void {
  const values = literals.map(literalToScalar).filter((v): v is Scalar => v !== null);
  const prev = sets.get(param);
  if (!prev) {
    sets.set(param, { values, source: [text] });
    return;
  }
  // Two conjuncts on one parameter: only values both allow can satisfy the WHERE.
  const allowed = new Set(values.map(String));
  prev.values = prev.values.filter((v) => allowed.has(String(v)));
  prev.source.push(text);
}

function lowerBoundFrom(
  p: Predicate,
  values: Literal[],
  column: string,
  params: Record<string, ParameterSpec>,
): { param: string; ms: number } | undefined {
  const param = Object.entries(params).find(([, s]) => lowerBoundColumns(s).includes(column))?.[0];
  if (!param) return undefined;
  const lit = p.kind === 'between' ? values[0] : p.kind === 'compare' && (p.op === '>=' || p.op === '>' || p.op === '=') ? values[0] : undefined;
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
  return values.length === 0
    ? '(no value can match: nothing is fetched)'
    : values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

/** One FetchSpec per combination of values; returns their keys. */
function expand(
  resourceId: string,
  choices: Choice[],
  plan: QueryPlan,
  maxRows: number | undefined,
  enumeration?: FetchSpec['enumerate'],
  split?: SplitSettings,
): string[] {
  let combos: Array<{ sql: Record<string, Scalar>; wire: Record<string, Scalar> }> = [{ sql: {}, wire: {} }];
  for (const c of choices) {
    const next: typeof combos = [];
    for (const combo of combos) {
      c.sql.forEach((v, i) => next.push({ sql: { ...combo.sql, [c.name]: v }, wire: { ...combo.wire, [c.name]: c.wire[i] } }));
    }
    combos = next;
  }
  const stableValues = new Map<string, string>(choices.filter((c) => c.stable).map((c) => [c.name, c.stable!]));
  const keys = combos.map((combo) => {
    const key = fetchKey(resourceId, combo.sql, maxRows, enumeration);
    const stableKey = Object.fromEntries(Object.entries(combo.sql).map(([k, v]) => [k, stableValues.get(k) ?? v]));
    if (!plan.fetches.has(key)) {
      const f: FetchSpec = {
        key,
        cacheKey: fetchKey(resourceId, stableKey, maxRows, enumeration),
        resourceId,
        sqlValues: combo.sql,
        wire: combo.wire,
        maxRows,
        enumerate: enumeration,
      };
      const windows = split ? subWindows(combo.wire, split) : [];
      if (windows.length) f.subWindows = windows;
      plan.fetches.set(key, f);
    }
    return key;
  });
  return keys.sort();
}

interface SplitSettings {
  startParam: string;
  endParam: string;
  minHours: number;
  n: number;
  now: number;
}

/**
 * Equal sub-windows [s_i, s_i+1) covering [start, end) exactly; the last keeps the original end
 * (or none), so a row updated while the fetch runs is not lost. None for a short window.
 */
export function subWindows(wire: Record<string, Scalar>, split: SplitSettings): Array<Record<string, Scalar | undefined>> {
  const startWire = wire[split.startParam];
  const endWire = wire[split.endParam];
  const start = typeof startWire === 'string' ? parseDateTime(startWire) : undefined;
  const end = typeof endWire === 'string' ? parseDateTime(endWire) : split.now;
  if (start === undefined || end === undefined || end - start < split.minHours * 3_600_000) return [];
  const step = Math.ceil((end - start) / split.n / 1000) * 1000;
  const out: Array<Record<string, Scalar | undefined>> = [];
  for (let i = 0; i < split.n; i++) {
    const s = start + i * step;
    if (s >= end) break;
    const last = i === split.n - 1 || s + step >= end;
    out.push({ [split.startParam]: isoInstant(s), [split.endParam]: last ? endWire : isoInstant(s + step) });
    if (last) break;
  }
  return out;
}

export function fetchKey(resourceId: string, sqlValues: Record<string, Scalar>, maxRows?: number, enumeration?: FetchSpec['enumerate']): string {
  const sorted = Object.keys(sqlValues)
    .sort()
    .map((k) => [k, sqlValues[k]]);
  return JSON.stringify([resourceId, sorted, maxRows ?? null, enumeration?.fetches ?? null]);
}

export type { ScopedConjunct };
