// The store port: the only module that imports better-sqlite3. One in-memory database per
// engine; fetched rows stream in through batched transactions, and user SQL runs read-only
// (a statement that would write is refused before it runs).
import Database from 'better-sqlite3';
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
    this.db = new Database(':memory:');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('temp_store = MEMORY');
  }

  createTable(name: string, columns: StoreColumn[], unique: string[]): void {
    const cols = columns.map((c) => `${quoteIdent(c.name)} ${c.sqlType}`).join(', ');
    this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}; CREATE TABLE ${quoteIdent(name)} (${cols})`);
    if (unique.length) {
      // Rows with the same key and parameter values are one row (later pages win).
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
    return this.db.transaction((rows: SqlValue[][]) => {
      for (const r of rows) stmt.run(r);
    });
  }

  rowCount(table: string): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(table)}`).get() as { n: number }).n;
  }

  /** Runs one user statement, refusing anything that is not a read-only query. */
  query(sql: string): ResultSet {
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
    try {
      const columns = stmt.columns().map((c) => c.name);
      const rows = stmt.raw(true).all() as SqlValue[][];
      return { columns, rows };
    } catch (e) {
      throw sqliteError(e);
    }
  }

  /** Checks that SQLite accepts the SQL (used when the parser could not analyse it). */
  check(sql: string): void {
    try {
      this.db.prepare(sql);
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
