// The history store port: one interface, one module per database driver (sqlite.ts,
// postgres.ts), as for HTTP and the in-memory SQLite. Invariants every driver keeps: staged rows
// touch nothing until commit; commit merges them, marks gone rows and moves the high-water mark
// in ONE transaction; a read only ever returns a superset of the rows its filters select.
import type { SqlValue } from '../rows/convert.js';
import type { HistoryColumn, HistoryTableDef } from './table.js';

export type FilterOp = '=' | '>=' | '>' | '<' | '<=' | 'in';

/** A predicate of the user's WHERE on one history column, with literal values (see pushdown.ts). */
export interface Filter {
  column: HistoryColumn;
  op: FilterOp;
  values: Array<string | number | boolean>;
  /** The conjunct as written (for EXPLAIN). */
  text: string;
}

export interface CommitInput {
  def: HistoryTableDef;
  /** Identity of the API the rows came from (a provider's base URL): the high-water mark is per source. */
  source: string;
  /** When the rows were observed (UTC ISO-8601): `_first_seen`/`_last_seen` of this sync. */
  seenAt: string;
  /** Snapshot resources: rows of these scopes (e.g. Bastion hosts) not staged now are gone. */
  gone?: { columns: string[]; scopes: SqlValue[][] };
  /** New high-water mark; the store keeps the greater of it and the stored one. */
  highWater?: string;
}

export interface CommitCounts {
  new: number;
  updated: number;
  gone: number;
}

export interface ReadResult {
  rows: number;
  /** The statement run in the history database (for EXPLAIN and --debug). */
  sql: string;
}

export interface HistoryStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** The target as the user may see it (no password). */
  readonly target: string;
  /** Creates the table (and adds columns a newer manifest has) if needed. */
  ensureTable(def: HistoryTableDef): Promise<void>;
  /** Takes the lock of a table and source; `onWait` is called once when another sync holds it. */
  lock(def: HistoryTableDef, source: string, onWait: (holder: string) => void): Promise<() => Promise<void>>;
  highWater(def: HistoryTableDef, source: string): Promise<string | undefined>;
  /** Stages rows (data columns in `def.columns` order) for the next commit. */
  stage(def: HistoryTableDef, rows: SqlValue[][]): Promise<void>;
  commit(input: CommitInput): Promise<CommitCounts>;
  /** Drops what was staged (a failed sync). */
  discard(def: HistoryTableDef): Promise<void>;
  /** Deletes rows last seen before `before`; returns how many. */
  retain(def: HistoryTableDef, before: string): Promise<number>;
  hasTable(def: HistoryTableDef): Promise<boolean>;
  /** Streams the rows matching (at least) the filters, columns: data columns then sighting columns. */
  read(def: HistoryTableDef, filters: Filter[], onRows: (rows: SqlValue[][]) => void): Promise<ReadResult>;
  /** The statement `read` would run, and the filters it could not push (SQLite applies them). */
  readSql(def: HistoryTableDef, filters: Filter[]): { sql: string; pushed: Filter[]; kept: Filter[]; params: unknown[] };
  close(): Promise<void>;
}

/** Double-quoted identifier (both SQLite and PostgreSQL). */
export function qi(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A stable text of a row's key, for de-duplication in JavaScript. */
export function keyText(row: SqlValue[], keyIndexes: number[]): string {
  return JSON.stringify(keyIndexes.map((i) => row[i]));
}
