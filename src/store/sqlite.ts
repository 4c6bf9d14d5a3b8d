// The store port: the only module that imports better-sqlite3. One in-memory database per
// engine; fetched rows stream in through batched transactions, and user SQL runs read-only
// (a statement that would write is refused before it runs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { SessqlError } from '../errors.js';
import type { SqlValue } from '../rows/convert.js';
import { fromSqlite, hintOfDeclaredType, type ColumnHint, type ResultValue } from '../output/values.js';

export interface StoreColumn {
  name: string;
  sqlType: string;
  /**
   * The column always holds this other column's value: it is declared as a virtual generated
   * column (computed when read, never stored; rows given to `inserter` leave it out).
   */
  copyOf?: string;
}

export interface ResultSet {
  columns: string[];
  rows: ResultValue[][];
  /** Per column: BOOLEAN/JSON when the column comes straight from such a resource column. */
  types?: (ColumnHint | undefined)[];
}

/** A result read row by row from SQLite; `close` must be called (the connection is busy until then). */
export interface ResultCursor {
  columns: string[];
  types: (ColumnHint | undefined)[];
  rows: IterableIterator<ResultValue[]>;
  close(): void;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Rows per multi-row INSERT of `Store.inserter` (37 columns × 10 stays far below SQLite's 32,766 variables). */
const ROWS_PER_INSERT = 10;

export class Store {
  private readonly db: Database.Database;

  constructor() {
    // the native module loads with the first store, not with the CLI (metadata needs none)
    this.db = openSqlite(':memory:');
    // Wide rows (a session is ~35 columns, ~600 bytes) split 4 KiB pages often; 16 KiB pages
    // measured ~5-10% faster loads (docs/performance.md, scenario 5). Must precede any table.
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    // No `temp_store = MEMORY`: with it a 1M-row GROUP BY's sorter took 1.9x as long and the first
    // view create/drop after a big query ~120 ms (docs/performance.md, scenario 5, issue 12).
  }

  createTable(name: string, columns: StoreColumn[], unique: string[]): void {
    const generated = (c: StoreColumn) => (c.copyOf === undefined ? '' : ` GENERATED ALWAYS AS (${quoteIdent(c.copyOf)}) VIRTUAL`);
    const cols = columns.map((c) => `${quoteIdent(c.name)} ${c.sqlType}${generated(c)}`).join(', ');
    this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}; CREATE TABLE ${quoteIdent(name)} (${cols})`);
    if (unique.length) {
      // Rows with the same key and parameter values are one row (later pages win). SQLite's UNIQUE
      // treats NULLs as distinct, so callers pass columns that are never NULL (the resource key).
      this.db.exec(`CREATE UNIQUE INDEX ${quoteIdent(`${name}__key`)} ON ${quoteIdent(name)} (${unique.map(quoteIdent).join(', ')})`);
    }
  }

  createView(name: string, select: string): void {
    this.db.exec(`DROP VIEW IF EXISTS ${quoteIdent(name)}; CREATE TEMP VIEW ${quoteIdent(name)} AS ${select}`);
  }

  dropView(name: string): void {
    this.db.exec(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
  }

  dropTable(name: string): void {
    this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  }

  /**
   * Returns a function that inserts a batch of rows in one transaction. `constant` lists columns
   * whose value is the same in every row of this table (a fetch's parameter columns): text and
   * NULL constants are written into the statement instead of bound per row, and rows go
   * `ROWS_PER_INSERT` to a statement — both cut the per-value binding that dominates the load
   * (docs/performance.md, scenario 5). A row whose "constant" differs goes through the plain
   * one-row statement, so the table holds exactly the rows given, in order (later rows win).
   */
  inserter(table: string, columnCount: number, replace: boolean, constant: number[] = []): (rows: SqlValue[][]) => void {
    const head = `INSERT ${replace ? 'OR REPLACE ' : ''}INTO ${quoteIdent(table)} VALUES `;
    const plain = this.db.prepare(`${head}(${new Array(columnCount).fill('?').join(', ')})`);
    let fast: { one: Database.Statement; many: Database.Statement; bound: number[]; fixed: Array<[number, SqlValue]> } | undefined;
    const prepareFor = (row: SqlValue[]) => {
      const fixed = constant.filter((i) => row[i] === null || typeof row[i] === 'string').map((i): [number, SqlValue] => [i, row[i]]);
      const literal = new Map(fixed.map(([i, v]) => [i, v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`]));
      const tuple = `(${Array.from({ length: columnCount }, (_, i) => literal.get(i) ?? '?').join(', ')})`;
      const bound = Array.from({ length: columnCount }, (_, i) => i).filter((i) => !literal.has(i));
      return { one: this.db.prepare(head + tuple), many: this.db.prepare(head + new Array(ROWS_PER_INSERT).fill(tuple).join(', ')), bound, fixed };
    };
    const matches = (row: SqlValue[], fixed: Array<[number, SqlValue]>) => {
      for (const [i, v] of fixed) if (row[i] !== v) return false;
      return true;
    };
    return this.db.transaction((rows: SqlValue[][]) => {
      if (rows.length === 0) return;
      fast ??= prepareFor(rows[0]);
      const { one, many, bound, fixed } = fast;
      const width = bound.length;
      const values: SqlValue[] = new Array(width * ROWS_PER_INSERT);
      let i = 0;
      // whole groups of rows that all agree with the constants
      while (i + ROWS_PER_INSERT <= rows.length) {
        let ok = true;
        for (let r = 0; r < ROWS_PER_INSERT && ok; r++) ok = matches(rows[i + r], fixed);
        if (!ok) break;
        for (let r = 0; r < ROWS_PER_INSERT; r++) {
          const row = rows[i + r];
          const at = r * width;
          for (let k = 0; k < width; k++) values[at + k] = row[bound[k]];
        }
        many.run(...values);
        i += ROWS_PER_INSERT;
      }
      // the rest, row by row (in order)
      const single: SqlValue[] = new Array(width);
      for (; i < rows.length; i++) {
        const row = rows[i];
        if (!matches(row, fixed)) {
          plain.run(...row);
          continue;
        }
        for (let k = 0; k < width; k++) single[k] = row[bound[k]];
        one.run(...single);
      }
    });
  }

  /** Bytes the database occupies (page_count × page_size), for the benchmarks' memory ratio. */
  sizeBytes(): number {
    return (this.db.prepare('SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()').get() as { n: number }).n;
  }

  rowCount(table: string): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(table)}`).get() as { n: number }).n;
  }

  /** Compiles one user statement without running it: SQL errors and writes are refused here. */
  check(sql: string): void {
    this.prepareQuery(sql);
  }

  /**
   * The value of a constant expression, computed by SQLite itself (so `date('now','-7 days')`
   * means what it will mean in the query); undefined when SQLite cannot evaluate it alone.
   */
  constant(expr: string): SqlValue | undefined {
    try {
      const stmt = this.db.prepare(`SELECT (${expr})`);
      if (!stmt.readonly) return undefined;
      const [value] = stmt.raw(true).get() as SqlValue[];
      return value;
    } catch {
      return undefined;
    }
  }

  private prepareQuery(sql: string): Database.Statement {
    let stmt: Database.Statement;
    try {
      stmt = this.db.prepare(sql);
    } catch (e) {
      throw sqliteError(e);
    }
    if (!stmt.readonly || !stmt.reader) {
      throw new SessqlError('READ_ONLY', 'this statement would change data: sessql runs read-only queries', {
        hint: 'use SELECT or WITH',
      });
    }
    return stmt;
  }

  /** Runs one user statement, refusing anything that is not a read-only query; every row in an array. */
  query(sql: string): ResultSet {
    const cursor = this.iterate(sql);
    try {
      return { columns: cursor.columns, types: cursor.types, rows: [...cursor.rows] };
    } finally {
      cursor.close();
    }
  }

  /**
   * Runs one read-only user statement and hands its rows out one at a time (better-sqlite3's
   * iterate), with integers read exactly (bigint beyond 2^53) and each column's type hint.
   */
  iterate(sql: string): ResultCursor {
    const stmt = this.prepareQuery(sql);
    let it: IterableIterator<unknown[]>;
    let meta: Database.ColumnDefinition[];
    try {
      meta = stmt.columns();
      it = stmt.safeIntegers(true).raw(true).iterate() as IterableIterator<unknown[]>;
    } catch (e) {
      throw sqliteError(e);
    }
    const rows: IterableIterator<ResultValue[]> = {
      [Symbol.iterator]() {
        return this;
      },
      next(): IteratorResult<ResultValue[]> {
        let r: IteratorResult<unknown[]>;
        try {
          r = it.next();
        } catch (e) {
          throw sqliteError(e);
        }
        if (r.done) return { done: true, value: undefined };
        const row = r.value;
        for (let i = 0; i < row.length; i++) if (typeof row[i] === 'bigint') row[i] = fromSqlite(row[i]);
        return { done: false, value: row as ResultValue[] };
      },
      return(): IteratorResult<ResultValue[]> {
        it.return?.();
        return { done: true, value: undefined };
      },
    };
    return {
      columns: meta.map((c) => c.name),
      types: meta.map((c) => hintOfDeclaredType(c.type)),
      rows,
      close: () => void it.return?.(),
    };
  }

  close(): void {
    this.db.close();
  }
}

function sqliteError(e: unknown): SessqlError {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code ?? '';
  if (/no such table/i.test(message)) {
    return new SessqlError('UNKNOWN_TABLE', message.replace(/^no such table/i, 'unknown table'), {
      hint: 'sessql tables are named provider.service.resource; SHOW PROVIDERS lists them',
      cause: e,
    });
  }
  if (/authoriz|not authorized/i.test(message)) {
    return new SessqlError('READ_ONLY', `refused: ${message}`, { cause: e });
  }
  return new SessqlError('SQL_SYNTAX', `SQLite: ${message}`, { cause: e, details: { sqliteCode: code } });
}

let nativeBinding: string | null | undefined;

/**
 * Opens a better-sqlite3 database (the in-memory store, a history file). The native addon is
 * loaded from the package's own build folder when it is there: better-sqlite3's default lookup
 * (the `bindings` package) probes a dozen paths first, ~3 ms of every start-up.
 */
export function openSqlite(filename: string, options: Database.Options = {}): Database.Database {
  const require = createRequire(import.meta.url);
  const Sqlite = require('better-sqlite3') as typeof Database;
  if (nativeBinding === undefined) {
    try {
      const built = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
      nativeBinding = existsSync(built) ? built : null;
    } catch {
      nativeBinding = null;
    }
  }
  return new Sqlite(filename, nativeBinding ? { ...options, nativeBinding } : options);
}
