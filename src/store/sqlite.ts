// The store port: the only module that imports better-sqlite3. One in-memory database per
// engine; fetched rows stream in through batched transactions, and user SQL runs read-only
// (a statement that would write is refused before it runs).
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { SessqlError } from '../errors.js';
import type { SqlValue } from '../rows/convert.js';

export interface StoreColumn {
  name: string;
  sqlType: string;
}

export interface ResultSet {
  columns: string[];
  rows: SqlValue[][];
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class Store {
  private readonly db: Database.Database;

  constructor() {
    // the native module loads with the first store, not with the CLI (metadata needs none)
    const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    this.db = new Sqlite(':memory:');
    // Wide rows (a session is ~35 columns, ~600 bytes) split 4 KiB pages often; 16 KiB pages
    // measured ~5-10% faster loads (docs/performance.md, scenario 5). Must precede any table.
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    // No `temp_store = MEMORY`: with it a 1M-row GROUP BY's sorter took 1.9x as long and the first
    // view create/drop after a big query ~120 ms (docs/performance.md, scenario 5, issue 12).
  }

  createTable(name: string, columns: StoreColumn[], unique: string[]): void {
    const cols = columns.map((c) => `${quoteIdent(c.name)} ${c.sqlType}`).join(', ');
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

  /** Returns a function that inserts a batch of rows in one transaction. */
  inserter(table: string, columnCount: number, replace: boolean): (rows: SqlValue[][]) => void {
    const marks = new Array(columnCount).fill('?').join(', ');
    const stmt = this.db.prepare(`INSERT ${replace ? 'OR REPLACE ' : ''}INTO ${quoteIdent(table)} VALUES (${marks})`);
    // run(...r) binds from the call's arguments; run(r) makes better-sqlite3 walk the array
    // element by element (measured 15-30% fewer rows/s on 37-column rows).
    return this.db.transaction((rows: SqlValue[][]) => {
      for (const r of rows) stmt.run(...r);
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

  /** Runs one user statement, refusing anything that is not a read-only query. */
  query(sql: string): ResultSet {
    const stmt = this.prepareQuery(sql);
    try {
      const columns = stmt.columns().map((c) => c.name);
      const rows = stmt.raw(true).all() as SqlValue[][];
      return { columns, rows };
    } catch (e) {
      throw sqliteError(e);
    }
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
