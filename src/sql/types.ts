// sessql's own small view of a query: the table references of each SELECT scope and the
// top-level AND conjuncts that could be pushed to them. Built from the lexer's tokens, so every
// piece of text here is the user's own text (positions are exact).

export type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' };

/**
 * A value in a predicate: a literal, or a constant expression (no column, no subquery) that the
 * engine evaluates with SQLite itself before planning, so the pushed value means what SQLite means.
 */
export type Operand = Literal | { kind: 'expr'; text: string };

export interface ColumnName {
  /** Qualifier as written (alias or table name), or null when unqualified. */
  table: string | null;
  column: string;
}

export type ComparisonOp = '=' | '>=' | '>' | '<' | '<=';

interface PredicateBase {
  column: ColumnName;
  text: string;
  /** True when a value depends on the clock ('now', CURRENT_TIMESTAMP): only bounds may use it. */
  volatile?: boolean;
}

/** A conjunct of a form that pushdown understands. */
export type Predicate =
  | (PredicateBase & { kind: 'compare'; op: ComparisonOp; value: Operand })
  | (PredicateBase & { kind: 'in'; values: Operand[] })
  | (PredicateBase & { kind: 'between'; low: Operand; high: Operand });

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
  /** Index of the occurrence in the statement (span number). */
  index: number;
  /** `provider.service.resource` */
  resourceId: string;
  /** Alias as written, or null. */
  alias: string | null;
  /** Index of the SELECT scope whose FROM holds it (-1 when the statement could not be analysed). */
  scope: number;
}

export interface QueryAnalysis {
  references: TableReference[];
  conjuncts: ScopedConjunct[];
  /**
   * Set when the statement's structure could not be analysed: nothing is pushed, and every
   * reference is fetched as wide as the API allows.
   */
  unanalysed?: string;
  /**
   * Identifiers (lower-cased) that appear in a filtering clause anywhere in the statement (WHERE,
   * ON, HAVING, FILTER): a time column named there without a pushable bound widens the fetch.
   */
  filterIdentifiers: Set<string>;
  /**
   * LIMIT that can be pushed into paging: a single-table scan whose WHERE is fully pushed and
   * that has no ORDER BY, GROUP BY, DISTINCT, aggregate, window or HAVING.
   */
  limit?: { reference: number; rows: number };
}
