// Fetch and load: turns a plan's fetches into SQLite tables, one cache table per concrete fetch
// (rows streamed in page by page), resolving enumerations (list hosts, then one call per host)
// and splitting large time windows into concurrent sub-windows. Invariants: a fetch's table is
// registered only after every page arrived (never partial rows), and a cached fetch is served
// whole or not at all.
import { SessqlError } from '../errors.js';
import type { ResourceRef } from '../manifest/catalog.js';
import type { CallStats, FetchCall, FetchEvent, ProviderClient } from '../fetch/types.js';
import { fetchKey, tableColumns, type FetchSpec, type Lookup, type QueryPlan } from '../plan/plan.js';
import { wireValue, type Scalar } from '../plan/values.js';
import { rowBuilder, sharedColumns, SQLITE_TYPE, type SqlValue } from '../rows/convert.js';
import { quoteIdent, type Store } from '../store/sqlite.js';
import { runWindowSchedule } from './window-schedule.js';

export interface LoadStats {
  fetches: number;
  cacheHits: number;
  requests: number;
  pages: number;
  rowsFetched: number;
  retries: number;
  throttled: number;
  polls: number;
}

export function emptyLoadStats(): LoadStats {
  return { fetches: 0, cacheHits: 0, requests: 0, pages: 0, rowsFetched: 0, retries: 0, throttled: 0, polls: 0 };
}

interface CacheEntry {
  table: string;
  fetchedAt: number;
}

export interface LoaderDeps {
  store: Store;
  resolve(id: string): ResourceRef;
  client(provider: string): ProviderClient;
  now(): number;
  /** When true, a failed fan-out call becomes a warning instead of failing the statement. */
  partial: boolean;
  /** Progress events of the loader's own (a quota-bound fetch's estimate). */
  emit?: (e: FetchEvent) => void;
  /** A concrete fetch completed with this many pages (EXPLAIN's estimate for the same call later). */
  fetched?: (cacheKey: string, pages: number) => void;
}

/** The fetched-rows cache: concrete fetch → its SQLite table, valid for `ttlMs`. */
export class FetchCache {
  private readonly entries = new Map<string, CacheEntry>();
  private counter = 0;

  constructor(
    private readonly store: () => Store,
    public ttlMs: number,
    public enabled: boolean,
  ) {}

  newTableName(): string {
    return `fetch_${++this.counter}`;
  }

  /**
   * The table of a fetch made earlier in this statement, or within the TTL before it. Expired
   * entries are dropped only between statements (`clear`): dropping one here could pull a table
   * from under another reference of the same statement.
   */
  get(key: string): string | undefined {
    return this.entries.get(key)?.table;
  }

  put(key: string, table: string, now: number): void {
    this.entries.set(key, { table, fetchedAt: now });
  }

  /** Drops every entry (all of them, or only those older than the TTL). */
  clear(onlyExpired = false, now = 0): void {
    for (const [key, e] of this.entries) {
      if (onlyExpired && now - e.fetchedAt <= this.ttlMs) continue;
      this.entries.delete(key);
      this.store().dropTable(e.table);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export class Loader {
  readonly stats = emptyLoadStats();
  /** One message per fan-out call that failed (only with `partial`). */
  readonly failures: string[] = [];
  /** Fan-out combinations the API itself said do not exist (404 + its NotFound code): no rows, one warning each. */
  readonly notFound = new Set<string>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly deps: LoaderDeps,
    private readonly cache: FetchCache,
    private readonly plan: QueryPlan,
    private readonly signal: AbortSignal,
  ) {}

  /** The cache tables holding every row of the plan fetch `key` (several when enumerated). */
  async tablesFor(key: string): Promise<string[]> {
    const f = this.plan.fetches.get(key);
    if (!f) throw new SessqlError('INTERNAL', `unknown fetch ${key}`);
    if (!f.enumerate) return [(await this.concrete(f, false))!];
    const concrete = await this.enumerate(f);
    if (!this.deps.partial) return (await Promise.all(concrete.map((c) => this.concrete(c, true)))).filter((t): t is string => t !== undefined);
    const settled = await Promise.allSettled(concrete.map((c) => this.concrete(c, true)));
    const tables: string[] = [];
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        if (r.value !== undefined) tables.push(r.value);
      } else {
        const values = Object.entries(concrete[i].sqlValues)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        this.failures.push(`${f.resourceId} (${values}): ${(r.reason as Error).message}`);
      }
    });
    return tables;
  }

  /** Lists the enumerating resource and derives one concrete fetch per listed row. */
  private async enumerate(f: FetchSpec): Promise<FetchSpec[]> {
    const { fetches, columns } = f.enumerate!;
    const tables = (await Promise.all(fetches.map((k) => this.tablesFor(k)))).flat();
    const res = this.deps.resolve(f.resourceId);
    const params = Object.keys(columns);
    const select = params.map((p) => `${quoteIdent(columns[p])} AS ${quoteIdent(p)}`).join(', ');
    const seen = new Set<string>();
    const out: FetchSpec[] = [];
    for (const table of tables) {
      for (const row of this.deps.store.query(`SELECT DISTINCT ${select} FROM ${quoteIdent(table)}`).rows) {
        const values: Record<string, Scalar> = {};
        let matches = true;
        params.forEach((p, i) => {
          // listed values are ids and names (text); an integer beyond 2^53 is kept as its digits
          const cell = row[i];
          const listed = typeof cell === 'bigint' ? cell.toString() : cell instanceof Uint8Array ? null : cell;
          const bound = f.sqlValues[p];
          const spec = res.spec.parameters[p];
          if (listed === null) matches = false;
          else if (bound !== undefined) {
            // a value the WHERE bound keeps only listed rows that agree (ARM names: any case)
            const same = spec?.caseInsensitive ? String(bound).toLowerCase() === String(listed).toLowerCase() : String(bound) === String(listed);
            if (!same) matches = false;
          } else values[p] = listed;
        });
        if (!matches) continue;
        const sqlValues = { ...f.sqlValues, ...values };
        const key = fetchKey(f.resourceId, sqlValues, f.maxRows);
        if (seen.has(key)) continue;
        seen.add(key);
        const wire = { ...f.wire };
        for (const [p, v] of Object.entries(values))
          wire[p] = wireValue(v, { table: f.resourceId, name: p, spec: res.spec.parameters[p], now: this.deps.now() });
        out.push({ key, cacheKey: key, resourceId: f.resourceId, sqlValues, wire, maxRows: f.maxRows });
      }
    }
    return out;
  }

  /**
   * Fetches (or finds in the cache) one concrete fetch; returns its table. A combination that
   * enumeration produced may not exist (a bound resource group that one of the listed
   * subscriptions lacks, a host deleted since it was listed): its 404 means no rows.
   */
  private async concrete(f: FetchSpec, enumerated: boolean): Promise<string | undefined> {
    const hit = this.cache.get(f.cacheKey);
    if (hit) {
      this.stats.cacheHits++;
      return hit;
    }
    let p = this.inflight.get(f.cacheKey);
    if (!p) {
      p = this.fetchInto(f);
      this.inflight.set(f.cacheKey, p);
    }
    try {
      return await p;
    } catch (e) {
      if (enumerated && e instanceof SessqlError && e.code === 'NOT_FOUND') {
        const apiCode = apiNotFoundCode(e);
        // only the API's own "no such resource" means no rows; a bare or HTML 404 (a proxy, a
        // wrong base URL) would turn a broken setup into an empty result
        if (apiCode === undefined) throw notTheApi(e);
        const values = Object.entries(f.sqlValues)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        this.notFound.add(`${f.resourceId} (${values}): not found (${apiCode}); it contributes no rows`);
        return undefined;
      }
      throw e;
    }
  }

  private async fetchInto(f: FetchSpec): Promise<string> {
    const res = this.deps.resolve(f.resourceId);
    const columns = tableColumns(res);
    const table = this.cache.newTableName();
    // One table holds one concrete fetch, so its parameter columns are constant and the
    // resource key alone identifies a row (a session returned by two sub-windows is one row).
    // A column that holds another's value (a field under two names: `id` and `session_id`) is a
    // generated column of the table, computed when read: rows carry only the stored columns.
    const shared = sharedColumns(columns);
    this.deps.store.createTable(
      table,
      columns.map((c, i) => ({ name: c.name, sqlType: columnSqlType(res, c), copyOf: shared.has(i) ? columns[shared.get(i)!].name : undefined })),
      res.spec.key,
    );
    const stored = columns.filter((_, i) => !shared.has(i));
    const build = rowBuilder(res.id, stored, f.sqlValues);
    // parameter columns hold the fetch's own values: the same in every row of this table
    const constant = stored.flatMap((c, i) => (c.kind === 'row' ? [] : [i]));
    const insert = this.deps.store.inserter(table, stored.length, res.spec.key.length > 0, constant);
    let index = 0;
    // A row without its key could not be told apart from the same row in another page or
    // sub-window (SQLite's UNIQUE lets NULLs through), so it is a malformed response, not a guess.
    const keyColumns = res.spec.key.map((k) => {
      const i = columns.findIndex((c) => c.name === k);
      return [k, stored.indexOf(columns[shared.get(i) ?? i])] as const;
    });
    const onPage = (items: unknown[]) => {
      const rows: SqlValue[][] = new Array(items.length);
      for (let i = 0; i < items.length; i++) {
        const row = (rows[i] = build(items[i], index + i));
        for (const [name, k] of keyColumns) if (row[k] === null) throw keyMissing(res, name, index + i);
      }
      index += items.length;
      insert(rows);
    };
    let pages = 0;
    const add = (s: CallStats) => {
      pages += s.pages;
      this.add(s);
    };
    try {
      const client = this.deps.client(res.provider);
      this.stats.fetches++;
      const { call, subWindows } = this.calls(res, f);
      // Probe with the whole window: one page may be all there is. When more follow and the API
      // is not quota-bound, sub-windows run concurrently (window-schedule.ts); under a slow token
      // bucket every extra request costs a replenish period, so the window is paged in one sequence.
      if (!subWindows.length || !res.spec.windowSplit) add(await client.fetchPages(call, onPage));
      else {
        await runWindowSchedule({
          client,
          call,
          planned: subWindows,
          split: res.spec.windowSplit,
          onPage,
          add,
          now: () => this.deps.now(),
          emit: this.deps.emit,
        });
      }
    } catch (e) {
      this.deps.store.dropTable(table);
      throw e;
    } finally {
      this.inflight.delete(f.cacheKey);
    }
    this.cache.put(f.cacheKey, table, this.deps.now());
    this.deps.fetched?.(f.cacheKey, pages);
    return table;
  }

  private add(s: CallStats): void {
    this.stats.requests += s.requests;
    this.stats.pages += s.pages;
    this.stats.rowsFetched += s.rows;
    this.stats.retries += s.retries;
    this.stats.throttled += s.throttled;
    this.stats.polls += s.polls;
  }

  /** The API call of one concrete fetch, and the sub-windows the plan split it into. */
  private calls(res: ResourceRef, f: FetchSpec): { call: FetchCall; subWindows: NonNullable<FetchSpec['subWindows']> } {
    const call: FetchCall = {
      resourceId: res.id,
      request: pickRequest(res, f.sqlValues),
      parameters: res.spec.parameters,
      params: f.wire,
      rows: res.spec.rows,
      pagination: res.spec.pagination,
      longRunning: res.spec.longRunning,
      maxRows: f.maxRows,
      signal: this.signal,
    };
    return { call, subWindows: f.subWindows ?? [] };
  }
}

/** The API's own not-found code of a 404 (ARM ResourceNotFound, ResourceGroupNotFound…), if any. */
function apiNotFoundCode(e: SessqlError): string | undefined {
  const code = e.details?.apiCode;
  return typeof code === 'string' && /not_?found$/i.test(code) ? code : undefined;
}

function notTheApi(e: SessqlError): SessqlError {
  return new SessqlError('NOT_FOUND', `${e.message} — the body is not the API's own not-found error, so it is not read as "no rows"`, {
    details: e.details,
    hint: 'a proxy or a wrong base URL may be answering instead of the API; check the base URL and the network path',
  });
}

function keyMissing(res: ResourceRef, key: string, row: number): SessqlError {
  return new SessqlError('MALFORMED_RESPONSE', `${res.id}: item ${row + 1} of the response has no ${key}, the field that identifies a row`, {
    hint: `sessql needs ${key} to keep each row once across pages and time sub-windows; the API answered something it does not document`,
  });
}

/** The request to use: the first alternative whose parameters are all bound, else the default. */
export function pickRequest(res: ResourceRef, sqlValues: Record<string, Scalar>): FetchCall['request'] {
  const alt = res.spec.alternatives.find((a) => a.whenBound.every((p) => sqlValues[p] !== undefined));
  return (alt ?? res.spec).request;
}

function columnSqlType(res: ResourceRef, c: ReturnType<typeof tableColumns>[number]): string {
  if (c.kind === 'row') return SQLITE_TYPE[c.spec.type] + (c.spec.caseInsensitive ? ' COLLATE NOCASE' : '');
  const p = res.spec.parameters[c.param];
  const t = p?.type === 'boolean' ? SQLITE_TYPE.boolean : p?.type === 'integer' ? 'INTEGER' : 'TEXT';
  return t + (p?.caseInsensitive ? ' COLLATE NOCASE' : '');
}

/** A lookup column with the cache tables that hold the listed resource. */
export type LoadedLookup = Lookup & { tables: string[] };

/**
 * SELECT list of a statement view over a cache table, with the alias columns it asked for; a
 * lookup column keeps the API's value and otherwise takes the listed resource's.
 */
export function viewSelect(res: ResourceRef, columns: ReturnType<typeof tableColumns>, source: string, lookups: LoadedLookup[] = []): string {
  const src = '__src';
  const list = columns.map((c) => {
    const lookup = lookups.find((l) => l.column === c.name);
    if (c.kind === 'alias') return `${src}.${quoteIdent(c.param)} AS ${quoteIdent(c.name)}`;
    if (!lookup || !lookup.tables.length) return `${src}.${quoteIdent(c.name)}`;
    const listed = lookup.tables
      .map((t) => `SELECT ${quoteIdent(lookup.value)} AS v, ${quoteIdent(lookup.match)} AS m FROM ${quoteIdent(t)}`)
      .join(' UNION ALL ');
    const found = `(SELECT l.v FROM (${listed}) AS l WHERE l.m = ${src}.${quoteIdent(lookup.key)} LIMIT 1)`;
    return `coalesce(${src}.${quoteIdent(c.name)}, ${found}) AS ${quoteIdent(c.name)}`;
  });
  return `SELECT ${list.join(', ')} FROM ${quoteIdent(source)} AS ${src}`;
}

/** An empty SELECT with the right column names, for a reference no fetch can match. */
export function emptySelect(res: ResourceRef, columns: ReturnType<typeof tableColumns>): string {
  const list = columns.map((c) => `CAST(NULL AS ${c.kind === 'row' ? SQLITE_TYPE[c.spec.type] : 'TEXT'}) AS ${quoteIdent(c.name)}`).join(', ');
  return `SELECT ${list} WHERE 0`;
}
