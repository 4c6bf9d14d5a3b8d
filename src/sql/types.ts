// sessql's own small view of a query, independent of the parser library's AST (whose shapes vary
// between versions): the table references of each SELECT scope and the top-level AND conjuncts
// that could be pushed to them.

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export interface ColumnName {
  /** Qualifier as written (alias or table name), or null when unqualified. */
  table: string | null;
  column: string;
}

export type ComparisonOp = '=' | '>=' | '>' | '<' | '<=';

/** A conjunct of a form that pushdown understands. */
export type Predicate =
  | { kind: 'compare'; op: ComparisonOp; column: ColumnName; value: Literal; text: string }
  | { kind: 'in'; column: ColumnName; values: Literal[]; text: string }
  | { kind: 'between'; column: ColumnName; low: Literal; high: Literal; text: string };

/** A conjunct that is never pushed, with the reason shown by EXPLAIN. */
export interface OtherConjunct {
  kind: 'other';
  text: string;
  reason: string;
  columns: ColumnName[];
}

export type Conjunct = Predicate | OtherConjunct;

/** Where a conjunct came from decides which table references it may narrow. */
export interface ScopedConjunct {
  conjunct: Conjunct;
  /** Indexes (into the statement's references) it may be pushed to. */
  eligible: number[];
}

export interface TableReference {
  /** Index of the occurrence in the statement (placeholder number). */
  index: number;
  /** `provider.service.resource` */
  resourceId: string;
  /** Alias as written, or null. */
  alias: string | null;
  /** Index of the SELECT scope whose FROM holds it (-1 when the parser could not analyse). */
  scope: number;
}

export interface QueryAnalysis {
  references: TableReference[];
  conjuncts: ScopedConjunct[];
  /** Set when the parser could not analyse the statement; nothing is pushed then. */
  unanalysed?: string;
  /**
   * LIMIT that can be pushed into paging: a single-table scan whose WHERE is fully pushed and
   * that has no ORDER BY, GROUP BY, DISTINCT, aggregate, window or HAVING.
   */
  limit?: { reference: number; rows: number };
}
