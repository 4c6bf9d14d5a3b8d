// `sessql sync`: copies what the APIs return into the history database, table by table, through
// the live engine (so paging, fan-out, rate limits and retries are the engine's). Invariants:
// every row of one table's run is staged first and committed with the high-water mark in one
// transaction (a crash or a failed API call leaves history and mark as they were); one sync at a
// time per table and source (the store's lock); incremental windows start at the mark minus an
// overlap, so nothing changed since the last sync is missed, and upserts by key double nothing.
import { SessqlError, toSessqlError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import type { ResourceRef } from '../manifest/catalog.js';
import type { SyncSpec } from '../manifest/schema.js';
import { durationMs, isoInstant, parseDateTime } from '../plan/values.js';
import type { SqlValue } from '../rows/convert.js';
import type { ResultValue } from '../output/values.js';
import { quoteIdent, type ResultSet } from '../store/sqlite.js';
import type { HistoryStore } from './store.js';
import { historyTable, type HistoryTableDef } from './table.js';

export interface SyncTableResult {
  table: string;
  status: 'ok' | 'failed' | 'cancelled' | 'skipped';
  new: number;
  updated: number;
  gone: number;
  expired: number;
  requests: number;
  rows: number;
  ms: number;
  error?: SessqlError;
  note?: string;
}

export interface SyncOptions {
  engine: Engine;
  store: HistoryStore;
  /** Tables to sync (default: every syncable table). */
  tables?: string[];
  /** The clock (also the engine's, in tests with simulated time). */
  now?: () => number;
  /** Delete history rows last seen longer ago than this. */
  retainMs?: number;
  /** One line per table per run, and waiting notices (stderr in the CLI). */
  log?: (line: string) => void;
  /** Stops between tables, and aborts a fetch in progress (a commit in progress completes). */
  signal?: AbortSignal;
}

/** Every resource the manifests mark syncable, sorted. */
export function syncableTables(engine: Engine): string[] {
  return engine.catalog.resourceIds().filter((id) => engine.catalog.find(id)?.spec.sync);
}

/** Checks the table names before anything runs (a typo costs no API call). */
export function resolveSyncTables(engine: Engine, tables: string[] | undefined): string[] {
  if (!tables?.length) return syncableTables(engine);
  return tables.map((t) => {
    const res = engine.catalog.find(t);
    if (!res)
      throw new SessqlError('UNKNOWN_TABLE', `unknown table ${t}`, { hint: 'tables are named provider.service.resource; SHOW PROVIDERS lists them' });
    if (!res.spec.sync) {
      throw new SessqlError('INVALID_OPTION', `${t} is not syncable (its manifest has no sync block)`, {
        hint: `syncable tables: ${syncableTables(engine).join(', ')}`,
      });
    }
    return t;
  });
}

export async function syncOnce(opts: SyncOptions): Promise<SyncTableResult[]> {
  const tables = resolveSyncTables(opts.engine, opts.tables);
  const results: SyncTableResult[] = [];
  for (const id of tables) {
    if (opts.signal?.aborted) break;
    const r = await syncTable(id, opts);
    results.push(r);
    opts.log?.(summaryLine(r));
  }
  return results;
}

export function summaryLine(r: SyncTableResult): string {
  const secs = `${(r.ms / 1000).toFixed(2)} s`;
  if (r.status === 'failed') return `${r.table}: FAILED after ${r.requests} requests, ${secs}: error[${r.error?.code}]: ${r.error?.message}`;
  if (r.status === 'cancelled') return `${r.table}: cancelled, nothing written`;
  if (r.status === 'skipped') return `${r.table}: skipped (${r.note})`;
  const expired = r.expired ? `, ${r.expired} expired` : '';
  return `${r.table}: ${r.new} new, ${r.updated} updated, ${r.gone} gone${expired}, ${r.requests} requests, ${secs}${r.note ? ` (${r.note})` : ''}`;
}

async function syncTable(id: string, opts: SyncOptions): Promise<SyncTableResult> {
  const now = opts.now ?? Date.now;
  const started = Date.now();
  const result: SyncTableResult = { table: id, status: 'ok', new: 0, updated: 0, gone: 0, expired: 0, requests: 0, rows: 0, ms: 0 };
  const { engine, store } = opts;
  let def: HistoryTableDef | undefined;
  let release: (() => Promise<void>) | undefined;
  try {
    const res = engine.resolve(id);
    def = historyTable(res)!;
    const provider = engine.catalog.providers.get(res.provider)!.spec;
    const source = engine.providerConfig(res.provider)[provider.baseUrlConfig] ?? res.provider;
    await store.ensureTable(def);
    release = await store.lock(def, source, (holder) => opts.log?.(`${id}: waiting: another sync (${holder}) holds this table in ${store.target}`));
    const seenAt = new Date(now()).toISOString();
    const run = new TableRun(engine, store, res, def, opts.signal);
    const sync = res.spec.sync!;
    let highWater: string | undefined;
    let gone: { columns: string[]; scopes: SqlValue[][] } | undefined;
    if (sync.mode === 'incremental') {
      const hw = await incremental(run, sync, await store.highWater(def, source), now());
      highWater = hw.highWater;
      result.note = hw.note;
    } else if (sync.mode === 'snapshot') {
      gone = await snapshotScopes(run, res);
      await run.fetch(`SELECT * FROM ${id}`);
    } else {
      await run.fetch(`SELECT * FROM ${id}`);
    }
    result.requests = run.requests;
    result.rows = run.rows;
    const counts = await store.commit({ def, source, seenAt, gone, highWater });
    Object.assign(result, counts);
    if (opts.retainMs !== undefined) result.expired = await store.retain(def, new Date(now() - opts.retainMs).toISOString());
  } catch (e) {
    const err = toSessqlError(e);
    result.status = err.code === 'CANCELLED' ? 'cancelled' : 'failed';
    result.error = err;
    if (def) await store.discard(def).catch(() => {});
  } finally {
    if (release) await release().catch(() => {});
  }
  result.ms = Date.now() - started;
  return result;
}

/** One table's fetches: each statement's rows go to the store's staging. */
class TableRun {
  requests = 0;
  rows = 0;
  constructor(
    readonly engine: Engine,
    readonly store: HistoryStore,
    readonly res: ResourceRef,
    readonly def: HistoryTableDef,
    readonly signal?: AbortSignal,
  ) {}

  async query(sql: string): Promise<ResultSet> {
    const r = await this.engine.query(sql, this.signal);
    this.requests += r.stats.requests;
    // an engine with `partial` leaves failed fan-out calls out: history would take their rows
    // for gone, so a table syncs only from complete fetches
    if (r.failedCalls > 0) {
      throw new SessqlError(
        'PARTIAL_RESULTS',
        `${this.res.id}: ${r.failedCalls} API call(s) failed (${r.warnings[0] ?? 'no detail'}); nothing of this table was written`,
        {
          hint: 'sync keeps history only from complete fetches: fix the failing call (or run without --partial) and sync again',
        },
      );
    }
    return r;
  }

  /** Runs the statement and stages its rows; returns them (history column order). */
  async fetch(sql: string): Promise<SqlValue[][]> {
    const rs = await this.query(sql);
    const pos = new Map(rs.columns.map((c, i) => [c.toLowerCase(), i]));
    const picks = this.def.columns.map((c) => {
      const i = pos.get(c.name.toLowerCase());
      if (i === undefined) throw new SessqlError('INTERNAL', `${this.res.id}: column ${c.name} missing from the fetched rows`);
      return i;
    });
    const rows = rs.rows.map((r) => picks.map((i) => storable(r[i])));
    await this.store.stage(this.def, rows);
    this.rows += rows.length;
    return rows;
  }
}

/**
 * A result value as the history drivers bind it: an integer beyond 2^53 stays exact as its decimal
 * text (PostgreSQL reads it into bigint; SQLite keeps the text), a blob as hex (API rows hold none).
 */
function storable(v: ResultValue): SqlValue {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}

function sqlString(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/**
 * The incremental windows: from the high-water mark minus the overlap (first sync: the backfill
 * depth), in windows of `chunk`, the last one open-ended. The new mark is the greatest server
 * time seen, or the end of the last closed window.
 */
async function incremental(
  run: TableRun,
  sync: Extract<SyncSpec, { mode: 'incremental' }>,
  mark: string | undefined,
  now: number,
): Promise<{ highWater?: string; note?: string }> {
  const param = run.res.spec.parameters[sync.startParam];
  // two minutes inside the API's history window, so the request is still valid when it arrives
  const oldest = param?.maxAge ? now - durationMs(param.maxAge) + 120_000 : -Infinity;
  const markMs = mark ? parseDateTime(mark) : undefined;
  let note: string | undefined;
  let start: number;
  if (markMs === undefined) {
    start = Math.max(oldest, now - durationMs(sync.backfill ?? param?.maxAge ?? 'P1D') + 120_000);
    note = `backfill from ${isoInstant(start)}`;
  } else {
    start = markMs - durationMs(sync.overlap);
    if (start < oldest) {
      note = `gap: the last sync reached ${mark}, older than the API keeps; history between then and ${isoInstant(oldest)} is missing`;
      start = oldest;
    }
  }
  start = Math.floor(start / 1000) * 1000;
  const chunk = durationMs(sync.chunk);
  let best = markMs ?? -Infinity;
  const see = (ms: number | undefined) => {
    if (ms !== undefined && ms > best) best = ms;
  };
  const hwIdx = sync.highWater.map((c) => run.def.columns.findIndex((d) => d.name === c));
  const base = `SELECT * FROM ${run.res.id} WHERE ${sync.startParam} = `;
  for (let s = start; ; s += chunk) {
    const closed = sync.endParam !== undefined && s + chunk < now - 60_000;
    const sql = closed
      ? `${base}${sqlString(isoInstant(s))} AND ${sync.endParam} = ${sqlString(isoInstant(s + chunk))}`
      : `${base}${sqlString(isoInstant(s))}`;
    const rows = await run.fetch(sql);
    for (const r of rows) for (const i of hwIdx) if (typeof r[i] === 'string') see(parseDateTime(r[i] as string));
    if (!closed) break;
    see(s + chunk);
  }
  return { highWater: Number.isFinite(best) ? new Date(best).toISOString() : undefined, note };
}

/**
 * Snapshot resources: the scopes this sync covers whole; their rows not seen now become gone. A
 * scope is a value of the listing's own required parameters (Bastion: the subscription), not one
 * listed row (a host): a host deleted since the last sync is no longer listed, and its sessions
 * ended with it. The values covered are those the listing was asked for — the setting it
 * defaults to, else every row of the resource that enumerates them — plus those it returned.
 */
async function snapshotScopes(run: TableRun, res: ResourceRef): Promise<{ columns: string[]; scopes: SqlValue[][] }> {
  const listing = Object.values(res.spec.parameters).find((p) => p.enumerate && p.enumerate !== 'enum')?.enumerate;
  if (!listing || listing === 'enum') return { columns: [], scopes: [] };
  const listingRes = run.engine.resolve(listing.resource);
  const own = Object.keys(listing.columns).filter(
    (p) => run.def.columns.some((c) => c.name === p) && listingRes.spec.parameters[listing.columns[p]]?.required,
  );
  // one scope column (the usual case) can list what was asked for; several fall back to the rows listed
  const params = own.length === 1 ? own : Object.keys(listing.columns).filter((p) => run.def.columns.some((c) => c.name === p));
  const listed = params.map((p) => quoteIdent(listing.columns[p])).join(', ');
  const rs = await run.query(`SELECT DISTINCT ${listed} FROM ${listing.resource}`);
  const scopes = rs.rows.filter((r) => r.every((v) => v !== null)).map((r) => r.map(storable));
  if (own.length === 1) {
    const spec = listingRes.spec.parameters[listing.columns[own[0]]];
    const setting = spec.defaultFromConfig && run.engine.providerConfig(listingRes.provider)[spec.defaultFromConfig];
    if (setting) scopes.push([setting]);
    else if (spec.enumerate && spec.enumerate !== 'enum') {
      const column = spec.enumerate.columns[listing.columns[own[0]]];
      if (column) {
        const asked = await run.query(`SELECT DISTINCT ${quoteIdent(column)} FROM ${spec.enumerate.resource}`);
        for (const [v] of asked.rows) if (v !== null) scopes.push([storable(v)]);
      }
    }
  }
  return { columns: params, scopes };
}
