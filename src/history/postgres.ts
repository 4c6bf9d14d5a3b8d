// History in PostgreSQL (teams, dashboards, scale): the only module that imports `pg`. Types are
// PostgreSQL's own (timestamptz, bigint, double precision, boolean, jsonb), so a filter is pushed
// only where its meaning is the same as in SQLite, or widened so that it keeps every row SQLite
// would keep (see readSql). Locks: a session advisory lock per table and source, released by
// PostgreSQL when the connection ends (kill -9 included).
import { createRequire } from 'node:module';
import type pg from 'pg';
import { SessqlError } from '../errors.js';
import { parseDateTime } from '../plan/values.js';
import type { SqlValue } from '../rows/convert.js';
import type { CommitCounts, CommitInput, Filter, HistoryStore, ReadResult } from './store.js';
import { keyText, qi } from './store.js';
import { FIRST_SEEN, GONE_AT, LAST_SEEN, STATE_TABLE, type HistoryColumn, type HistoryTableDef, type HistoryType } from './table.js';

export const PG_TYPE: Record<HistoryType, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  datetime: 'timestamptz',
  json: 'jsonb',
};

const DAY_MS = 86_400_000;
/** Namespace of sessql's advisory locks (first key of the two-key form). */
const LOCK_NS = `hashtext('sessql.history')`;

export type LoadMethod = 'copy' | 'insert';

/** Values read back as the in-memory SQLite holds them: ISO text, 0/1, numbers, JSON text. */
function typeParser(oid: number): ((v: string) => unknown) | undefined {
  switch (oid) {
    case 20: // int8
      return (v) => Number(v);
    case 1184: // timestamptz, e.g. '2026-11-30 16:37:42.123+00' (the session time zone is UTC)
      return pgInstant;
    case 16: // bool
      return (v) => (v === 't' ? 1 : 0);
    case 3802: // jsonb
    case 114:
      return (v) => JSON.stringify(JSON.parse(v));
    default:
      return undefined;
  }
}

export function pgInstant(v: string): string {
  const m = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?(?::?\d{2})?)?$/.exec(v);
  if (!m) return v;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ? `${m[3]}:${m[4] ?? '00'}` : 'Z'}`);
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
}

/** A value as PostgreSQL takes it for a column of this type (text form). */
function pgValue(v: SqlValue, type: HistoryType): string | number | boolean | null {
  if (v === null) return null;
  switch (type) {
    case 'boolean':
      return v === 1 || v === '1' || v === 'true';
    case 'datetime': {
      // a time the API sent in a form that does not parse cannot be a timestamptz: NULL
      const ms = typeof v === 'number' ? v : parseDateTime(v);
      return ms === undefined || Number.isNaN(ms) ? null : new Date(ms).toISOString();
    }
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : null;
    default:
      return v;
  }
}

function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return `"${v.replace(/"/g, '""')}"`;
}

export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export class PostgresHistoryStore implements HistoryStore {
  readonly dialect = 'postgres' as const;
  readonly target: string;
  /** Keys staged per table (to know whether the staging needs de-duplication). */
  private readonly staged = new Map<string, { keys: Set<string>; dup: boolean }>();

  private constructor(
    private readonly client: pg.Client,
    url: string,
    private readonly loadMethod: LoadMethod,
  ) {
    this.target = printableUrl(url);
  }

  static async open(url: string, options: { loadMethod?: LoadMethod; readOnly?: boolean } = {}): Promise<PostgresHistoryStore> {
    const pgm = createRequire(import.meta.url)('pg') as typeof pg;
    const client = new pgm.Client({
      connectionString: url,
      application_name: 'sessql',
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          typeParser(oid) ?? pgm.types.getTypeParser(oid, format as 'text')) as typeof pgm.types.getTypeParser,
      },
    });
    try {
      await client.connect();
      await client.query(`SET TIME ZONE 'UTC'`);
    } catch (e) {
      await client.end().catch(() => {});
      throw new SessqlError('NETWORK_ERROR', `cannot connect to the history database ${printableUrl(url)}: ${(e as Error).message}`, { cause: e });
    }
    const store = new PostgresHistoryStore(client, url, options.loadMethod ?? 'copy');
    if (options.readOnly) return store;
    await store.ddl(
      `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (table_name text NOT NULL, source text NOT NULL, high_water text, synced_at timestamptz, PRIMARY KEY (table_name, source))`,
    );
    return store;
  }

  /** DDL under a transaction-scoped advisory lock: concurrent first syncs do not race on CREATE. */
  private async ddl(...statements: string[]): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await this.client.query(`SELECT pg_advisory_xact_lock(${LOCK_NS}, 0)`);
      for (const s of statements) await this.client.query(s);
      await this.client.query('COMMIT');
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  async ensureTable(def: HistoryTableDef): Promise<void> {
    const t = qi(def.name);
    const cols = def.columns.map((c) => `${qi(c.name)} ${PG_TYPE[c.type]}`);
    const sighting = def.sighting.map((s) => `${qi(s)} timestamptz${s === GONE_AT ? '' : ' NOT NULL'}`);
    await this.ddl(
      `CREATE TABLE IF NOT EXISTS ${t} (${[...cols, ...sighting].join(', ')}, PRIMARY KEY (${def.key.map(qi).join(', ')}))`,
      ...def.columns.map((c) => `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(c.name)} ${PG_TYPE[c.type]}`),
      ...[...def.indexed, LAST_SEEN].map((c) => `CREATE INDEX IF NOT EXISTS ${qi(`${def.name}__${c}`)} ON ${t} (${qi(c)})`),
    );
  }

  async lock(def: HistoryTableDef, source: string, onWait: (holder: string) => void): Promise<() => Promise<void>> {
    const key = `${def.name}|${source}`;
    const got = await this.client.query(`SELECT pg_try_advisory_lock(${LOCK_NS}, hashtext($1)) AS ok`, [key]);
    if (!got.rows[0].ok) {
      const holder = await this.client
        .query(
          `SELECT a.pid, a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid::int = ${LOCK_NS} AND l.objid::int = hashtext($1) LIMIT 1`,
          [key],
        )
        .catch(() => ({ rows: [] as Array<Record<string, unknown>> }));
      const h = holder.rows[0];
      onWait(h ? `backend pid ${h.pid}${h.client_addr ? ` from ${h.client_addr}` : ''}` : 'another session');
      await this.client.query(`SELECT pg_advisory_lock(${LOCK_NS}, hashtext($1))`, [key]);
    }
    return async () => {
      await this.client.query(`SELECT pg_advisory_unlock(${LOCK_NS}, hashtext($1))`, [key]);
    };
  }

  async highWater(def: HistoryTableDef, source: string): Promise<string | undefined> {
    const r = await this.client.query(`SELECT high_water FROM ${STATE_TABLE} WHERE table_name = $1 AND source = $2`, [def.name, source]);
    return r.rows[0]?.high_water ?? undefined;
  }

  private stageName(def: HistoryTableDef): string {
    return qi(`stage_${def.name}`);
  }

  async stage(def: HistoryTableDef, rows: SqlValue[][]): Promise<void> {
    const s = this.stageName(def);
    let st = this.staged.get(def.name);
    if (!st) {
      await this.client.query(`DROP TABLE IF EXISTS pg_temp.${s}`);
      await this.client.query(`CREATE TEMP TABLE ${s} (${def.columns.map((c) => `${qi(c.name)} ${PG_TYPE[c.type]}`).join(', ')}, _seq bigserial)`);
      st = { keys: new Set(), dup: false };
      this.staged.set(def.name, st);
    }
    if (!rows.length) return;
    const keyIdx = def.key.map((k) => def.columns.findIndex((c) => c.name === k));
    for (const r of rows) {
      const k = keyText(r, keyIdx);
      if (st.keys.has(k)) st.dup = true;
      else st.keys.add(k);
    }
    const converted = rows.map((r) => r.map((v, i) => pgValue(v, def.columns[i].type)));
    const cols = def.columns.map((c) => qi(c.name)).join(', ');
    if (this.loadMethod === 'copy') await this.copyRows(s, cols, converted);
    else await this.insertRows(s, cols, def.columns.length, converted);
  }

  private async copyRows(table: string, cols: string, rows: Array<Array<string | number | boolean | null>>): Promise<void> {
    const { from } = createRequire(import.meta.url)('pg-copy-streams') as typeof import('pg-copy-streams');
    const stream = this.client.query(from(`COPY ${table} (${cols}) FROM STDIN WITH (FORMAT csv)`));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      const chunk: string[] = [];
      for (const r of rows) {
        chunk.push(r.map(csvField).join(',') + '\n');
        if (chunk.length === 2000) {
          stream.write(chunk.join(''));
          chunk.length = 0;
        }
      }
      if (chunk.length) stream.write(chunk.join(''));
      stream.end();
    });
  }

  private async insertRows(table: string, cols: string, width: number, rows: Array<Array<string | number | boolean | null>>): Promise<void> {
    const per = Math.max(1, Math.floor(60_000 / width));
    for (let i = 0; i < rows.length; i += per) {
      const batch = rows.slice(i, i + per);
      const values = batch.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
      await this.client.query(`INSERT INTO ${table} (${cols}) VALUES ${values}`, batch.flat());
    }
  }

  async discard(def: HistoryTableDef): Promise<void> {
    this.staged.delete(def.name);
    await this.client.query(`DROP TABLE IF EXISTS pg_temp.${this.stageName(def)}`);
  }

  async commit(input: CommitInput): Promise<CommitCounts> {
    const { def, seenAt } = input;
    if (!this.staged.has(def.name)) await this.stage(def, []);
    const st = this.staged.get(def.name)!;
    const t = qi(def.name);
    let s = this.stageName(def);
    const c = this.client;
    if (st.dup) {
      // one row per key: the one staged last (a session updated between two windows)
      await c.query(`DROP TABLE IF EXISTS pg_temp."stage_dedup"`);
      await c.query(
        `CREATE TEMP TABLE "stage_dedup" AS SELECT DISTINCT ON (${def.key.map(qi).join(', ')}) * FROM ${s} ORDER BY ${def.key.map(qi).join(', ')}, _seq DESC`,
      );
      s = `"stage_dedup"`;
    }
    await c.query(`ANALYZE ${s}`);
    const keyMatch = def.key.map((k) => `${t}.${qi(k)} = s.${qi(k)}`).join(' AND ');
    const data = def.columns.filter((col) => !def.key.includes(col.name));
    const snapshot = def.sighting.includes(GONE_AT);
    const revive = snapshot ? `, ${qi(GONE_AT)} = NULL` : '';
    const cols = def.columns.map((col) => qi(col.name)).join(', ');
    const counts: CommitCounts = { new: 0, updated: 0, gone: 0 };
    await c.query('BEGIN');
    try {
      if (data.length) {
        const changed = data.map((col) => `${t}.${qi(col.name)} IS DISTINCT FROM s.${qi(col.name)}`).join(' OR ');
        counts.updated =
          (
            await c.query(
              `UPDATE ${t} SET ${data.map((col) => `${qi(col.name)} = s.${qi(col.name)}`).join(', ')}, ${qi(LAST_SEEN)} = $1${revive}
               FROM ${s} AS s WHERE ${keyMatch} AND ${t}.${qi(LAST_SEEN)} <= $1 AND (${changed})`,
              [seenAt],
            )
          ).rowCount ?? 0;
      }
      await c.query(
        `UPDATE ${t} SET ${qi(LAST_SEEN)} = $1${revive} FROM ${s} AS s WHERE ${keyMatch} AND (${t}.${qi(LAST_SEEN)} < $1${snapshot ? ` OR ${t}.${qi(GONE_AT)} IS NOT NULL` : ''})`,
        [seenAt],
      );
      counts.new =
        (
          await c.query(
            `INSERT INTO ${t} (${cols}, ${qi(FIRST_SEEN)}, ${qi(LAST_SEEN)}) SELECT ${cols}, $1, $1 FROM ${s} AS s WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE ${keyMatch})`,
            [seenAt],
          )
        ).rowCount ?? 0;
      if (input.gone && snapshot) counts.gone = await this.markGone(def, s, input.gone, seenAt);
      await c.query(
        `INSERT INTO ${STATE_TABLE} AS st (table_name, source, high_water, synced_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (table_name, source) DO UPDATE SET high_water = CASE WHEN excluded.high_water IS NULL THEN st.high_water WHEN st.high_water IS NULL THEN excluded.high_water ELSE GREATEST(st.high_water COLLATE "C", excluded.high_water COLLATE "C") END, synced_at = excluded.synced_at`,
        [def.name, input.source, input.highWater ?? null, seenAt],
      );
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      await this.discard(def).catch(() => {});
      await c.query(`DROP TABLE IF EXISTS pg_temp."stage_dedup"`).catch(() => {});
    }
    return counts;
  }

  private async markGone(def: HistoryTableDef, s: string, gone: NonNullable<CommitInput['gone']>, seenAt: string): Promise<number> {
    const t = qi(def.name);
    const keyMatch = def.key.map((k) => `${t}.${qi(k)} = s.${qi(k)}`).join(' AND ');
    const base = `UPDATE ${t} SET ${qi(GONE_AT)} = $1 WHERE ${qi(GONE_AT)} IS NULL AND ${qi(LAST_SEEN)} < $1 AND NOT EXISTS (SELECT 1 FROM ${s} AS s WHERE ${keyMatch})`;
    if (!gone.columns.length) return (await this.client.query(base, [seenAt])).rowCount ?? 0;
    if (!gone.scopes.length) return 0;
    const w = gone.columns.length;
    const values = gone.scopes.map((_, r) => `(${gone.columns.map((_, i) => `$${r * w + i + 2}::text`).join(', ')})`).join(', ');
    const sql = `${base} AND (${gone.columns.map(qi).join(', ')}) IN (VALUES ${values})`;
    return (await this.client.query(sql, [seenAt, ...gone.scopes.flat()])).rowCount ?? 0;
  }

  async retain(def: HistoryTableDef, before: string): Promise<number> {
    return (await this.client.query(`DELETE FROM ${qi(def.name)} WHERE ${qi(LAST_SEEN)} < $1`, [before])).rowCount ?? 0;
  }

  async hasTable(def: HistoryTableDef): Promise<boolean> {
    const r = await this.client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [qi(def.name)]);
    return Boolean(r.rows[0].ok);
  }

  readSql(def: HistoryTableDef, filters: Filter[]): { sql: string; pushed: Filter[]; kept: Filter[]; params: unknown[] } {
    const cols = [...def.columns.map((c) => c.name), ...def.sighting].map(qi).join(', ');
    const params: unknown[] = [];
    const where: string[] = [];
    const pushed: Filter[] = [];
    const kept: Filter[] = [];
    for (const f of filters) {
      const sql = pgFilter(f, (v) => {
        params.push(v);
        return `$${params.length}`;
      });
      if (sql) {
        where.push(sql);
        pushed.push(f);
      } else kept.push(f);
    }
    return { sql: `SELECT ${cols} FROM ${qi(def.name)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, pushed, kept, params };
  }

  async read(def: HistoryTableDef, filters: Filter[], onRows: (rows: SqlValue[][]) => void): Promise<ReadResult> {
    const { sql, params } = this.readSql(def, filters);
    const c = this.client;
    let n = 0;
    // a cursor: millions of history rows are never held in memory at once
    await c.query('BEGIN READ ONLY');
    try {
      await c.query(`DECLARE sessql_read NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const r = await c.query({ text: 'FETCH 10000 FROM sessql_read', rowMode: 'array' });
        if (!r.rows.length) break;
        n += r.rows.length;
        onRows(r.rows as SqlValue[][]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    }
    return { rows: n, sql };
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

/**
 * The PostgreSQL form of a filter, or undefined when it cannot be said so that it keeps every row
 * SQLite keeps (SQLite then applies it alone). Text compares bytewise in SQLite, so ranges use
 * COLLATE "C"; a datetime literal is compared as text in SQLite, so only its date prefix is used,
 * widened to whole UTC days; NOCASE folds ASCII, lower() folds more (wider, never narrower).
 */
export function pgFilter(f: Filter, param: (v: unknown) => string): string | undefined {
  const col = qi(f.column.name);
  const t = f.column.type;
  const vals = f.values;
  if (t === 'json' || !vals.length) return undefined;
  if (t === 'string') {
    if (!vals.every((v) => typeof v === 'string')) return undefined;
    if (f.column.caseInsensitive) {
      if (f.op === '=') return `lower(${col}) = lower(${param(vals[0])})`;
      if (f.op === 'in') return `lower(${col}) IN (${vals.map((v) => `lower(${param(v)})`).join(', ')})`;
      return undefined;
    }
    if (f.op === '=') return `${col} = ${param(vals[0])}`;
    if (f.op === 'in') return `${col} IN (${vals.map((v) => param(v)).join(', ')})`;
    return `${col} COLLATE "C" ${f.op} ${param(vals[0])}`;
  }
  if (t === 'integer' || t === 'number') {
    if (!vals.every((v) => typeof v === 'number')) return undefined;
    if (f.op === 'in') return `${col} IN (${vals.map((v) => param(v)).join(', ')})`;
    return `${col} ${f.op} ${param(vals[0])}`;
  }
  if (t === 'boolean') {
    if (f.op !== '=' || vals.length !== 1) return undefined;
    const v = vals[0];
    if (v === true || v === 1) return `${col} = true`;
    if (v === false || v === 0) return `${col} = false`;
    return undefined;
  }
  // datetime: SQLite compares the canonical text 'YYYY-MM-DDTHH:MM:SS.sssZ' with the literal as
  // text; the literal's longest prefix in the same layout decides that comparison up to its unit
  if (f.op === 'in' || typeof vals[0] !== 'string') return undefined;
  const bound = instantPrefix(vals[0]);
  if (!bound) return undefined;
  const from = new Date(bound.ms).toISOString();
  const to = new Date(bound.ms + bound.unit).toISOString();
  if (f.op === '>=' || f.op === '>') return `${col} >= ${param(from)}`;
  if (f.op === '<' || f.op === '<=') return `${col} < ${param(to)}`;
  return `${col} >= ${param(from)} AND ${col} < ${param(to)}`;
}

/**
 * The longest prefix of a literal laid out like a canonical instant (date, then `THH`, `:MM`,
 * `:SS`), as the instant it starts and its unit. For a canonical value s and the literal L,
 * s >= L (as text) implies s >= start, and s <= L implies s < start + unit.
 */
export function instantPrefix(text: string): { ms: number; unit: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const parts = [m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v)));
  const limits = [23, 59, 59];
  const units = [3_600_000, 60_000, 1000];
  let ms = Date.UTC(y, mo - 1, d);
  // a day past the month's end (2026-02-30) has no instant of its own: widen to the month
  if (new Date(ms).getUTCDate() !== d) return { ms: Date.UTC(y, mo - 1, 1), unit: 31 * DAY_MS };
  let unit = DAY_MS;
  for (let i = 0; i < 3; i++) {
    const v = parts[i];
    if (v === undefined || v > limits[i]) break;
    ms += v * units[i];
    unit = units[i];
  }
  return { ms, unit };
}

export type { HistoryColumn };
