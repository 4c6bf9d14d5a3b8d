// The parser port: the only module that imports node-sql-parser. It parses a statement whose
// sessql table names were replaced by placeholders and turns the library's AST at once into our
// own types (scopes, references, conjuncts), so nothing else depends on the library's shapes.
import { createRequire } from 'node:module';
import type { ColumnName, ComparisonOp, Conjunct, Literal, ScopedConjunct } from './types.js';

// The single-dialect build loads far faster than the full parser (start-up matters for a CLI).
const require = createRequire(import.meta.url);
type AnyNode = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface SqlParser {
  astify(sql: string, opt: { database: string }): AnyNode | AnyNode[];
  exprToSQL(expr: AnyNode, opt: { database: string }): string;
}
let parserInstance: SqlParser | undefined;
function parser(): SqlParser {
  if (!parserInstance) {
    const { Parser } = require('node-sql-parser/build/sqlite') as { Parser: new () => SqlParser };
    parserInstance = new Parser();
  }
  return parserInstance;
}
const OPT = { database: 'sqlite' };

export const PLACEHOLDER_PREFIX = '__sessql_ref_';

export interface ParsedScopeRef {
  /** Placeholder number. */
  index: number;
  alias: string | null;
  scope: number;
}

export interface ParsedQuery {
  refs: ParsedScopeRef[];
  conjuncts: ScopedConjunct[];
  /** A LIMIT that could go into paging if every conjunct on its only reference is pushed. */
  limitCandidate?: { index: number; rows: number };
}

export class ParseFailure extends Error {
  constructor(
    message: string,
    /** Offset in the parsed text where the parser stopped, when it says. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Parses one SELECT/WITH statement (placeholders already substituted). */
export function parseQuery(sql: string): ParsedQuery {
  let ast: AnyNode | AnyNode[];
  try {
    ast = parser().astify(sql, OPT);
  } catch (e) {
    // the library lists every token it expected; a person needs where it stopped
    const start = (e as { location?: { start?: { offset?: number } } }).location?.start;
    throw new ParseFailure('the parser stopped', start?.offset);
  }
  const root = Array.isArray(ast) ? ast[0] : ast;
  if (!root || root.type !== 'select') throw new ParseFailure(`not a query (${root?.type ?? 'empty'})`);
  const out: ParsedQuery = { refs: [], conjuncts: [] };
  const state = { scopes: 0 };
  visitSelect(root, out, state);
  out.limitCandidate = limitCandidate(root, out);
  return out;
}

function placeholderIndex(table: unknown): number | undefined {
  if (typeof table !== 'string' || !table.startsWith(PLACEHOLDER_PREFIX)) return undefined;
  return Number(table.slice(PLACEHOLDER_PREFIX.length));
}

function visitSelect(node: AnyNode, out: ParsedQuery, state: { scopes: number }): void {
  // The library may hold one subquery in two places of its AST; a placeholder occurs once in
  // the SQL, so a scope whose references were all seen already is that same subquery again.
  const indexes = (node.from ?? []).map((i: AnyNode) => placeholderIndex(i.table)).filter((i: number | undefined) => i !== undefined);
  if (indexes.length && indexes.every((i: number) => out.refs.some((r) => r.index === i))) return;
  const scope = state.scopes++;
  const local: ParsedScopeRef[] = [];
  const pending: Array<{ expr: AnyNode; only?: number }> = [];
  for (const item of node.from ?? []) {
    const index = placeholderIndex(item.table);
    if (index !== undefined) {
      const ref = { index, alias: typeof item.as === 'string' ? item.as : null, scope };
      local.push(ref);
      out.refs.push(ref);
    }
    if (item.on) {
      const join = String(item.join ?? '').toUpperCase();
      // An INNER join's ON filters like WHERE; a LEFT join's ON only narrows the joined side.
      if (join === 'JOIN' || join.startsWith('INNER') || join.startsWith('CROSS')) pending.push({ expr: item.on });
      else if (join.startsWith('LEFT') && index !== undefined) pending.push({ expr: item.on, only: index });
    }
  }
  if (node.where) pending.push({ expr: node.where });
  for (const { expr, only } of pending) {
    for (const c of flattenAnd(expr)) {
      out.conjuncts.push({ conjunct: toConjunct(c), eligible: only !== undefined ? [only] : local.map((r) => r.index) });
    }
  }
  forEachNestedSelect(node, (child) => visitSelect(child, out, state));
}

/** Calls fn for every SELECT nested in node (CTEs, subqueries, UNION branches), not node itself. */
function forEachNestedSelect(node: AnyNode, fn: (n: AnyNode) => void): void {
  const seen = new Set<AnyNode>();
  const walk = (v: unknown, top: boolean): void => {
    if (!v || typeof v !== 'object' || seen.has(v as AnyNode)) return;
    seen.add(v as AnyNode);
    if (Array.isArray(v)) return v.forEach((x) => walk(x, false));
    const o = v as AnyNode;
    if (!top && o.type === 'select') return fn(o);
    for (const [k, child] of Object.entries(o)) {
      if (k === 'tableList' || k === 'columnList') continue;
      walk(child, false);
    }
  };
  walk(node, true);
}

function flattenAnd(expr: AnyNode): AnyNode[] {
  if (expr?.type === 'binary_expr' && String(expr.operator).toUpperCase() === 'AND') {
    return [...flattenAnd(expr.left), ...flattenAnd(expr.right)];
  }
  return [expr];
}

function literal(node: AnyNode | undefined): Literal | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'single_quote_string':
    case 'string':
      return { kind: 'string', value: String(node.value) };
    case 'number':
    case 'bigint': {
      const n = Number(node.value);
      return Number.isFinite(n) ? { kind: 'number', value: n } : undefined;
    }
    case 'bool':
    case 'boolean':
      return { kind: 'boolean', value: Boolean(node.value) };
    case 'null':
      return { kind: 'null' };
    default:
      return undefined;
  }
}

function columnName(node: AnyNode | undefined): ColumnName | undefined {
  if (!node) return undefined;
  if (node.type === 'column_ref') {
    const col = typeof node.column === 'string' ? node.column : node.column?.expr?.value;
    if (typeof col !== 'string' || col === '*') return undefined;
    return { table: node.table ?? null, column: col };
  }
  // SQLite reads "x" as a column when one exists; we only ever treat it as a column name.
  if (node.type === 'double_quote_string') return { table: null, column: String(node.value) };
  return undefined;
}

const FLIP: Record<ComparisonOp, ComparisonOp> = { '=': '=', '>=': '<=', '>': '<', '<': '>', '<=': '>=' };

function toConjunct(expr: AnyNode): Conjunct {
  const text = render(expr);
  if (expr?.type === 'binary_expr') {
    const op = String(expr.operator).toUpperCase();
    const left = columnName(expr.left);
    if ((op === '=' || op === '==' || op === '>=' || op === '>' || op === '<' || op === '<=') ) {
      const cmp = (op === '==' ? '=' : op) as ComparisonOp;
      const lv = literal(expr.right);
      if (left && lv && !expr.left.collate) return { kind: 'compare', op: cmp, column: left, value: lv, text };
      const right = columnName(expr.right);
      const rv = literal(expr.left);
      if (right && rv && !expr.right.collate) return { kind: 'compare', op: FLIP[cmp], column: right, value: rv, text };
    }
    if (op === 'IN' && left && expr.right?.type === 'expr_list') {
      const values = (expr.right.value as AnyNode[]).map(literal);
      if (values.every((v): v is Literal => v !== undefined)) return { kind: 'in', column: left, values, text };
      return other(expr, text, 'IN with a non-literal list is evaluated by SQLite');
    }
    if (op === 'BETWEEN' && left && expr.right?.type === 'expr_list') {
      const [low, high] = (expr.right.value as AnyNode[]).map(literal);
      if (low && high) return { kind: 'between', column: left, low, high, text };
    }
    if (op === 'OR') return other(expr, text, 'under OR: evaluated by SQLite');
    if (op.startsWith('NOT')) return other(expr, text, 'negation: evaluated by SQLite');
    if (op === 'LIKE' || op === 'GLOB' || op === 'IS' || op === 'IS NOT' || op === '!=' || op === '<>') {
      return other(expr, text, `${op} is evaluated by SQLite`);
    }
  }
  if (expr?.type === 'unary_expr') return other(expr, text, 'negation: evaluated by SQLite');
  return other(expr, text, 'not a column compared with a literal: evaluated by SQLite');
}

function other(expr: AnyNode, text: string, reason: string): Conjunct {
  return { kind: 'other', text, reason, columns: columnsIn(expr) };
}

function columnsIn(expr: AnyNode): ColumnName[] {
  const out: ColumnName[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const c = columnName(v as AnyNode);
    if (c) out.push(c);
    else Object.values(v as AnyNode).forEach(walk);
  };
  walk(expr);
  return out;
}

function render(expr: AnyNode): string {
  try {
    return parser()
      .exprToSQL(expr, OPT)
      .replace(/"__sessql_ref_(\d+)"/g, '<table $1>')
      .replace(/"([A-Za-z_][A-Za-z0-9_]*)"/g, '$1');
  } catch {
    return '(expression)';
  }
}

function hasAggregateOrWindow(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasAggregateOrWindow);
  const o = v as AnyNode;
  if (o.type === 'aggr_func' || (o.over !== undefined && o.over !== null)) return true;
  return Object.values(o).some(hasAggregateOrWindow);
}

function limitCandidate(root: AnyNode, q: ParsedQuery): ParsedQuery['limitCandidate'] {
  const from = root.from ?? [];
  if (root._next || root.with || from.length !== 1 || q.refs.length !== 1) return undefined;
  const index = placeholderIndex(from[0].table);
  if (index === undefined || root.distinct || root.groupby || root.having || root.orderby) return undefined;
  if (root.window || hasAggregateOrWindow(root.columns)) return undefined;
  const values = root.limit?.value as AnyNode[] | undefined;
  if (!values?.length) return undefined;
  const nums = values.map(literal);
  if (nums.some((n) => n?.kind !== 'number')) return undefined;
  const [first, second] = nums as Array<{ kind: 'number'; value: number }>;
  const sep = String(root.limit.seperator ?? '').toLowerCase();
  // LIMIT n OFFSET m, or SQLite's LIMIT m, n: the pages must cover offset + count rows.
  const rows = second ? first.value + second.value : first.value;
  if (sep === '' && second) return undefined;
  if (!Number.isInteger(rows) || rows < 0) return undefined;
  return { index, rows };
}
