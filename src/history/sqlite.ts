// History in a SQLite file: the embedded default. Same types and collations as the in-memory
// tables of live queries, so every filter pushed here means exactly what it means there.
// Concurrency: WAL, a busy timeout for SQLite's own write lock, and a lock row per table and
// source (a holder that died is detected by its pid on this machine and replaced).
import { hostname } from 'node:os';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { SessqlError } from '../errors.js';
import { SQLITE_TYPE, type SqlValue } from '../rows/convert.js';
import { openSqlite } from '../store/sqlite.js';
import type { CommitCounts, CommitInput, Filter, HistoryStore, ReadResult } from './store.js';
import { qi } from './store.js';
import { GONE_AT, FIRST_SEEN, LAST_SEEN, STATE_TABLE, type HistoryTableDef } from './table.js';

const LOCK_TABLE = '_sessql_sync_locks';
/** A sync waits this long for another process's write transaction (a large backfill commit). */
const BUSY_TIMEOUT_MS = 300_000;

function colType(c: HistoryTableDef['columns'][number]): string {
  return SQLITE_TYPE[c.type] + (c.caseInsensitive ? ' COLLATE NOCASE' : '');
}

function bindable(v: SqlValue | boolean): SqlValue {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SqliteHistoryStore implements HistoryStore {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly me = `${hostname()}:${process.pid}`;

  constructor(
    readonly target: string,
    readOnly = false,
  ) {
    try {
      if (!readOnly) mkdirSync(dirname(target), { recursive: true });
      this.db = openSqlite(target, { readonly: readOnly });
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (readOnly) return;
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    } catch (e) {
      throw new SessqlError('INVALID_OPTION', `cannot open the history database ${target}: ${(e as Error).message}`, { cause: e });
    }
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (table_name TEXT NOT NULL, source TEXT NOT NULL, high_water TEXT, synced_at TEXT, PRIMARY KEY (table_name, source));
       CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (table_name TEXT NOT NULL, source TEXT NOT NULL, holder TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, since TEXT NOT NULL, PRIMARY KEY (table_name, source));`,
    );
  }

  async ensureTable(def: HistoryTableDef): Promise<void> {
    const t = qi(def.name);
    const cols = def.columns.map((c) => `${qi(c.name)} ${colType(c)}`);
    const sighting = def.sighting.map((s) => `${qi(s)} TEXT${s === GONE_AT ? '' : ' NOT NULL'}`);
    this.db
      .transaction(() => {
        this.db.exec(`CREATE TABLE IF NOT EXISTS ${t} (${[...cols, ...sighting].join(', ')}, PRIMARY KEY (${def.key.map(qi).join(', ')}))`);
        const have = new Set(
          (this.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(def.name) as { name: string }[]).map((r) => r.name.toLowerCase()),
        );
        for (const c of def.columns) if (!have.has(c.name.toLowerCase())) this.db.exec(`ALTER TABLE ${t} ADD COLUMN ${qi(c.name)} ${colType(c)}`);
        for (const c of [...def.indexed, LAST_SEEN]) this.db.exec(`CREATE INDEX IF NOT EXISTS ${qi(`${def.name}__${c}`)} ON ${t} (${qi(c)})`);
      })
      .immediate();
  }

  async lock(def: HistoryTableDef, source: string, onWait: (holder: string) => void): Promise<() => Promise<void>> {
    const take = this.db.transaction((): string | true => {
      const row = this.db.prepare(`SELECT holder, host, pid FROM ${LOCK_TABLE} WHERE table_name = ? AND source = ?`).get(def.name, source) as
        { holder: string; host: string; pid: number } | undefined;
      if (row && row.holder !== this.me && !(row.host === hostname() && !alive(row.pid))) return row.holder;
      this.db
        .prepare(`INSERT OR REPLACE INTO ${LOCK_TABLE} (table_name, source, holder, host, pid, since) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(def.name, source, this.me, hostname(), process.pid, new Date().toISOString());
      return true;
    });
    let waited = false;
    for (;;) {
      const got = take.immediate();
      if (got === true) break;
      if (!waited) onWait(`process ${got}`);
      waited = true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return async () => {
      this.db.prepare(`DELETE FROM ${LOCK_TABLE} WHERE table_name = ? AND source = ? AND holder = ?`).run(def.name, source, this.me);
    };
  }

  async highWater(def: HistoryTableDef, source: string): Promise<string | undefined> {
    const row = this.db.prepare(`SELECT high_water FROM ${STATE_TABLE} WHERE table_name = ? AND source = ?`).get(def.name, source) as
      { high_water: string | null } | undefined;
    return row?.high_water ?? undefined;
  }

  private stageName(def: HistoryTableDef): string {
    return qi(`temp_stage_${def.name}`);
  }

  async stage(def: HistoryTableDef, rows: SqlValue[][]): Promise<void> {
    const s = this.stageName(def);
    // a TEMP table belongs to this connection: staging takes no lock on the history file
    this.db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS ${s} (${def.columns.map((c) => `${qi(c.name)} ${colType(c)}`).join(', ')}, PRIMARY KEY (${def.key.map(qi).join(', ')}))`,
    );
    const insert = this.db.prepare(`INSERT OR REPLACE INTO ${s} VALUES (${def.columns.map(() => '?').join(', ')})`);
    this.db.transaction(() => {
      for (const r of rows) insert.run(...r);
    })();
  }

  async discard(def: HistoryTableDef): Promise<void> {
    this.db.exec(`DROP TABLE IF EXISTS temp.${this.stageName(def)}`);
  }

  async commit(input: CommitInput): Promise<CommitCounts> {
    const { def, seenAt } = input;
    const t = qi(def.name);
    const s = this.stageName(def);
    this.db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS ${s} (${def.columns.map((c) => `${qi(c.name)} ${colType(c)}`).join(', ')}, PRIMARY KEY (${def.key.map(qi).join(', ')}))`,
    );
    const keyMatch = def.key.map((k) => `${t}.${qi(k)} = s.${qi(k)}`).join(' AND ');
    const data = def.columns.filter((c) => !def.key.includes(c.name));
    const changed = data.length ? data.map((c) => `${t}.${qi(c.name)} IS NOT s.${qi(c.name)}`).join(' OR ') : '0';
    const snapshot = def.sighting.includes(GONE_AT);
    const revive = snapshot ? `, ${qi(GONE_AT)} = NULL` : '';
    const cols = def.columns.map((c) => qi(c.name)).join(', ');
    const counts: CommitCounts = { new: 0, updated: 0, gone: 0 };
    this.db
      .transaction(() => {
        if (data.length) {
          counts.updated = this.db
            .prepare(
              `UPDATE ${t} SET ${data.map((c) => `${qi(c.name)} = s.${qi(c.name)}`).join(', ')}, ${qi(LAST_SEEN)} = @now${revive}
             FROM ${s} AS s WHERE ${keyMatch} AND ${t}.${qi(LAST_SEEN)} <= @now AND (${changed})`,
            )
            .run({ now: seenAt }).changes;
        }
        this.db
          .prepare(
            `UPDATE ${t} SET ${qi(LAST_SEEN)} = @now${revive} FROM ${s} AS s WHERE ${keyMatch} AND (${t}.${qi(LAST_SEEN)} < @now${snapshot ? ` OR ${t}.${qi(GONE_AT)} IS NOT NULL` : ''})`,
          )
          .run({ now: seenAt });
        counts.new = this.db
          .prepare(
            `INSERT INTO ${t} (${cols}, ${qi(FIRST_SEEN)}, ${qi(LAST_SEEN)}) SELECT ${cols}, @now, @now FROM ${s} AS s WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE ${keyMatch})`,
          )
          .run({ now: seenAt }).changes;
        if (input.gone && snapshot) counts.gone = this.markGone(def, input.gone, seenAt);
        this.db
          .prepare(
            `INSERT INTO ${STATE_TABLE} (table_name, source, high_water, synced_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (table_name, source) DO UPDATE SET high_water = CASE WHEN excluded.high_water IS NULL THEN high_water WHEN high_water IS NULL THEN excluded.high_water ELSE max(high_water, excluded.high_water) END, synced_at = excluded.synced_at`,
          )
          .run(def.name, input.source, input.highWater ?? null, seenAt);
      })
      .immediate();
    this.db.exec(`DROP TABLE IF EXISTS temp.${s}`);
    return counts;
  }

  private markGone(def: HistoryTableDef, gone: NonNullable<CommitInput['gone']>, seenAt: string): number {
    const t = qi(def.name);
    const s = this.stageName(def);
    const keyMatch = def.key.map((k) => `${t}.${qi(k)} = s.${qi(k)}`).join(' AND ');
    const base = `UPDATE ${t} SET ${qi(GONE_AT)} = @now WHERE ${qi(GONE_AT)} IS NULL AND ${qi(LAST_SEEN)} < @now AND NOT EXISTS (SELECT 1 FROM ${s} AS s WHERE ${keyMatch})`;
    if (!gone.columns.length) return this.db.prepare(base).run({ now: seenAt }).changes;
    if (!gone.scopes.length) return 0;
    const scope = qi('temp_scope');
    this.db.exec(`DROP TABLE IF EXISTS temp.${scope}; CREATE TEMP TABLE ${scope} (${gone.columns.map((c) => `${qi(c)} TEXT`).join(', ')})`);
    const ins = this.db.prepare(`INSERT INTO ${scope} VALUES (${gone.columns.map(() => '?').join(', ')})`);
    for (const sc of gone.scopes) ins.run(...sc);
    const cols = `(${gone.columns.map(qi).join(', ')})`;
    const n = this.db.prepare(`${base} AND ${cols} IN (SELECT ${gone.columns.map(qi).join(', ')} FROM ${scope})`).run({ now: seenAt }).changes;
    this.db.exec(`DROP TABLE temp.${scope}`);
    return n;
  }

  async retain(def: HistoryTableDef, before: string): Promise<number> {
    return this.db.prepare(`DELETE FROM ${qi(def.name)} WHERE ${qi(LAST_SEEN)} < ?`).run(before).changes;
  }

  async hasTable(def: HistoryTableDef): Promise<boolean> {
    return Boolean(this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(def.name));
  }

  readSql(def: HistoryTableDef, filters: Filter[]): { sql: string; pushed: Filter[]; kept: Filter[]; params: unknown[] } {
    const cols = [...def.columns.map((c) => c.name), ...def.sighting].map(qi).join(', ');
    // same engine, same column types and collations: a filter means here what it means in memory
    // (a number against a text column is left to SQLite: a bound REAL and an INTEGER literal
    // turn into different text under the column's affinity)
    const pushed = filters.filter((f) => !(['string', 'datetime', 'json'].includes(f.column.type) && f.values.some((v) => typeof v !== 'string')));
    const kept = filters.filter((f) => !pushed.includes(f));
    const where = pushed.map((f) =>
      f.op === 'in' ? `${qi(f.column.name)} IN (${f.values.map(() => '?').join(', ')})` : `${qi(f.column.name)} ${f.op} ?`,
    );
    const params = pushed.flatMap((f) => f.values.map(bindable));
    return { sql: `SELECT ${cols} FROM ${qi(def.name)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, pushed, kept, params };
  }

  async read(def: HistoryTableDef, filters: Filter[], onRows: (rows: SqlValue[][]) => void): Promise<ReadResult> {
    const { sql, params } = this.readSql(def, filters);
    let n = 0;
    let batch: SqlValue[][] = [];
    for (const row of this.db
      .prepare(sql)
      .raw(true)
      .iterate(...params) as Iterable<SqlValue[]>) {
      batch.push(row);
      if (batch.length === 5000) {
        onRows(batch);
        n += batch.length;
        batch = [];
      }
    }
    if (batch.length) onRows(batch);
    return { rows: n + batch.length, sql };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
