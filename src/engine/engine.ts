// The engine composes the pipeline: analyse → plan (no I/O) → fetch → validate → load → execute.
// Invariants: analysis and planning finish before the first HTTP call; a failed fetch fails the
// statement (never partial rows); the user's SQL runs as written apart from the table names.
import { SessqlError, toSessqlError } from '../errors.js';
import { Catalog, type ResourceRef } from '../manifest/catalog.js';
import { createProviderClient } from '../fetch/client.js';
import type { FetchEvent, ProviderClient, ProviderClientOptions } from '../fetch/types.js';
import { emptyLoadStats, emptySelect, FetchCache, Loader, viewSelect, type LoadedLookup, type LoadStats } from './loader.js';
import { planQuery, tableColumns, type QueryPlan, type TablePlan } from '../plan/plan.js';
import { foldConstants } from '../plan/constants.js';
import type { QueryAnalysis } from '../sql/types.js';
import { closest } from '../sql/suggest.js';
import { analyseStatement, splice, type Statement } from '../sql/analyse.js';
import { significant, splitStatements, tokenize, identifierText } from '../sql/lexer.js';
import { Store, quoteIdent, type ResultCursor, type ResultSet } from '../store/sqlite.js';
import type { ResultValue } from '../output/values.js';
import { resolveProviderConfig, type ProviderConfig } from './config.js';
import { explainPlan } from './explain.js';
import { describe, showMethods, showProviders, showResources, showServices } from './metadata.js';
import { execMethod } from './exec-method.js';
import { startDeadline, withinDeadline } from './deadline.js';
import type { SourceContext, TableSource } from '../history/source.js';

export interface EngineOptions {
  /** Provider settings by provider name, overriding environment variables. */
  config?: Record<string, ProviderConfig>;
  /** Environment to read provider settings from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Extra provider manifest files (YAML or JSON). */
  manifests?: string[];
  now?: () => number;
  /** false disables predicate pushdown (every table fetched with defaults only). */
  pushdown?: boolean;
  /** Options passed to every provider client (HTTP port, sleeps, caps, concurrency…). */
  fetch?: Omit<ProviderClientOptions, 'spec' | 'config'>;
  /** Per-provider client settings (from the config file), over `fetch`. */
  providerFetch?: Record<string, { concurrency?: number; timeoutMs?: number }>;
  onEvent?: (e: FetchEvent) => void;
  /** Fetched rows are reused by later statements for `ttlSeconds` (default 300); false disables. */
  cache?: { ttlSeconds?: number } | false;
  /** Sub-windows for a split time window (default: the provider's concurrency; 1 disables). */
  windowSplit?: number;
  /** Allow EXEC methods that change data (e.g. disconnecting sessions). */
  allowWrites?: boolean;
  /**
   * Keep the rows of the fan-out calls that succeeded when others fail; each failure becomes a
   * warning and the result is marked partial (the CLI exits 3).
   */
  partial?: boolean;
  /** Deadline for fetching one statement's rows (--timeout, limits.timeout); unset: none. */
  statementTimeoutMs?: number;
  /**
   * Answer table references from this source (the history database, `--db`) instead of the APIs.
   * The engine owns it: close() closes it.
   */
  history?: TableSource;
}

export interface StatementStats extends LoadStats {
  elapsedMs: number;
}

/** A statement's result; `rows` hold every row (see Engine.stream for rows read one at a time). */
export interface StatementResult extends ResultSet {
  /** The statement as written. */
  sql: string;
  kind: Statement['kind'];
  stats: StatementStats;
  warnings: string[];
  /** Number of fan-out calls that failed and were left out (only with the `partial` option). */
  failedCalls: number;
}

/** A result whose rows come straight from SQLite, one at a time; valid until the stream moves on. */
export interface StreamedResult extends Omit<StatementResult, 'rows'> {
  rows: Iterable<ResultValue[]>;
}

interface Running {
  result: StreamedResult;
  /** Ends the statement: closes its cursor, drops its views. */
  done(): void;
}

export class Engine {
  readonly catalog: Catalog;
  private storeInstance?: Store;
  private readonly clients = new Map<string, ProviderClient>();
  private readonly configs = new Map<string, ProviderConfig>();
  private readonly now: () => number;
  readonly cache: FetchCache;
  /** Pages each concrete fetch took when it last ran (EXPLAIN's time estimate). */
  private readonly pagesFetched = new Map<string, number>();

  constructor(private readonly options: EngineOptions = {}) {
    this.catalog = Catalog.load(options.manifests ?? []);
    this.now = options.now ?? Date.now;
    const cache = options.cache;
    this.cache = new FetchCache(() => this.store, (cache ? (cache.ttlSeconds ?? 300) : 300) * 1000, cache !== false);
  }

  /** Runs exactly one statement. */
  async query(sql: string, signal?: AbortSignal): Promise<StatementResult> {
    const statements = splitStatements(sql);
    if (statements.length !== 1) {
      throw new SessqlError('SQL_SYNTAX', `query() takes one statement, got ${statements.length}`, { hint: 'use run() for scripts' });
    }
    return this.execute(statements[0].text, signal);
  }

  /** Runs a script statement by statement; stops at the first failure (it is thrown). */
  async *run(script: string, signal?: AbortSignal): AsyncGenerator<StatementResult> {
    for (const s of statementsOf(script)) yield await this.execute(s.text, signal);
  }

  /**
   * Runs a script like run(), but a query's rows are read from SQLite as the consumer iterates
   * them, so a result of any size is never held whole. Each result is valid until the generator
   * is resumed; rows left unread then are discarded.
   */
  async *stream(script: string, signal?: AbortSignal): AsyncGenerator<StreamedResult> {
    for (const s of statementsOf(script)) {
      const running = await this.start(s.text, signal);
      try {
        yield running.result;
      } finally {
        running.done();
      }
    }
  }

  /** Analyses and plans a query without any I/O (EXPLAIN, --dry-run). */
  explain(sql: string): ResultSet {
    const st = this.analyse(sql);
    const q = st.kind === 'explain' ? st.query : st;
    if (q.kind !== 'query') throw new SessqlError('SQL_UNSUPPORTED', 'only queries can be explained');
    return this.explainQuery(q);
  }

  /** EXPLAIN of an analysed query: the history plan, or the API plan with what this engine has learned of rate limits. */
  private explainQuery(q: Extract<Statement, { kind: 'query' }>): ResultSet {
    if (this.options.history) return this.options.history.explain(this.folded(q), this.sourceContext(q));
    return explainPlan(this.plan(q), {
      resolve: (id) => this.resolve(id),
      config: (p) => this.providerConfig(p),
      quota: (p) => {
        if (this.catalog.providers.get(p)?.spec.rateLimit.kind !== 'x-ratelimit') return undefined;
        const c = this.clients.get(p);
        // an API that answered without rate-limit headers has none to estimate from
        return c?.quota() ?? (c && c.totals.requests > 0 ? undefined : 'unknown');
      },
      lastPages: (key) => this.pagesFetched.get(key),
    });
  }

  close(): void {
    this.storeInstance?.close();
    void this.options.history?.close();
  }

  /** The in-memory database, opened on first use. */
  private get store(): Store {
    return (this.storeInstance ??= new Store());
  }

  providerConfig(provider: string): ProviderConfig {
    let cfg = this.configs.get(provider);
    if (!cfg) {
      const spec = this.catalog.providers.get(provider)?.spec;
      if (!spec) throw new SessqlError('UNKNOWN_PROVIDER', `unknown provider '${provider}'`);
      cfg = resolveProviderConfig(spec, this.options.config?.[provider], this.options.env ?? process.env);
      this.configs.set(provider, cfg);
    }
    return cfg;
  }

  /** The resource with its provider's variant applied; cached, as provider config is fixed per engine. */
  resolve(id: string): ResourceRef {
    let res = this.resolved.get(id);
    if (!res) {
      res = this.catalog.find(id, (p) => this.providerConfig(p));
      if (!res) throw new SessqlError('UNKNOWN_TABLE', `unknown table ${id}`);
      this.resolved.set(id, res);
    }
    return res;
  }

  private readonly resolved = new Map<string, ResourceRef>();
  /** Notices already returned by this engine: each is said once per shell session or script. */
  private readonly noticesShown = new Set<string>();

  private analyse(sql: string): Statement {
    return analyseStatement(sql, {
      resourceIds: () => this.catalog.resourceIds(),
      providerNames: () => [...this.catalog.providers.keys()],
    });
  }

  /** The names a statement uses (lower case), and `*` when it selects every column of a table. */
  private identifiers(q: Extract<Statement, { kind: 'query' }>): Set<string> {
    const tokens = significant(tokenize(q.text));
    const names = new Set(tokens.filter((t) => t.kind === 'word' || t.kind === 'quoted').map((t) => identifierText(t).toLowerCase()));
    // `SELECT *`, `, *` or `s.*` (not `count(*)`)
    const star = tokens.some((t, i) => t.text === '*' && ['SELECT', 'DISTINCT', 'ALL', ',', '.'].includes((tokens[i - 1]?.text ?? '').toUpperCase()));
    if (star) names.add('*');
    return names;
  }

  private sourceContext(q: Extract<Statement, { kind: 'query' }>): SourceContext {
    return { store: this.store, resolve: (id) => this.resolve(id), usedIdentifiers: this.identifiers(q) };
  }

  /** The analysis with its constant expressions evaluated by SQLite (`date('now','-7 days')` → a date). */
  private folded(q: Extract<Statement, { kind: 'query' }>): QueryAnalysis {
    return foldConstants(q.analysis, (expr) => this.store.constant(expr));
  }

  /**
   * Plans a query: SQLite first compiles it over empty tables of the right columns (so an unknown
   * column or a SQL error costs no API call), then its constant expressions are evaluated with
   * SQLite, then the planner decides the fetches.
   */
  private plan(q: Extract<Statement, { kind: 'query' }>): QueryPlan {
    const identifiers = this.identifiers(q);
    this.checkColumns(q, identifiers);
    const analysis = this.folded(q);
    return planQuery(
      analysis,
      {
        resolve: (id) => this.resolve(id),
        config: (p) => this.providerConfig(p),
        now: this.now(),
        pushdown: this.options.pushdown,
        // as many sub-windows as the provider may have requests in flight
        windowSplit: (p) =>
          this.options.windowSplit ??
          this.options.providerFetch?.[p]?.concurrency ??
          this.options.fetch?.concurrency ??
          this.catalog.providers.get(p)!.spec.concurrency,
      },
      identifiers,
    );
  }

  /** Compiles the statement over empty views; SQLite's "no such column" becomes UNKNOWN_COLUMN with a suggestion. */
  private checkColumns(q: Extract<Statement, { kind: 'query' }>, identifiers: Set<string>): void {
    const names = q.spans.map((_, i) => `__sessql_check_${i}`);
    try {
      q.spans.forEach((span, i) => {
        const res = this.resolve(span.resourceId);
        this.store.createView(names[i], emptySelect(res, tableColumns(res, identifiers)));
      });
      this.store.check(runnableSql(q, names));
    } catch (e) {
      const missing = e instanceof SessqlError ? /no such column: (?:.*\.)?([^.\s]+)$/.exec(e.message) : null;
      if (!missing) throw e;
      const known = [...new Set(q.spans.flatMap((span) => columnNames(this.resolve(span.resourceId))))];
      const near = closest(missing[1], known);
      const tables = [...new Set(q.spans.map((span) => span.resourceId))].join(', ');
      throw new SessqlError('UNKNOWN_COLUMN', `unknown column ${missing[1]} (in ${tables || 'the statement'})`, {
        hint: near ? `did you mean ${near}? DESCRIBE <table> lists the columns` : `DESCRIBE ${q.spans[0]?.resourceId ?? '<table>'} lists the columns`,
      });
    } finally {
      for (const n of names) this.store.dropView(n);
    }
  }

  /** Runs one statement and returns it with every row read. */
  private async execute(sql: string, signal?: AbortSignal): Promise<StatementResult> {
    const running = await this.start(sql, signal);
    try {
      return { ...running.result, rows: [...running.result.rows] };
    } finally {
      running.done();
    }
  }

  /** Runs one statement up to its first row: a query's rows are then read from SQLite on demand. */
  private async start(sql: string, signal?: AbortSignal): Promise<Running> {
    const finished = (result: StreamedResult): Running => ({ result, done: () => {} });
    const started = this.now();
    const st = this.analyse(sql);
    const result = (
      rs: Omit<ResultSet, 'rows'> & { rows: Iterable<ResultValue[]> },
      stats: Partial<StatementStats> = {},
      warnings: string[] = [],
      failedCalls = 0,
    ): StreamedResult => ({
      ...rs,
      sql,
      kind: st.kind,
      warnings,
      failedCalls,
      stats: { ...emptyLoadStats(), ...stats, elapsedMs: this.now() - started },
    });
    switch (st.kind) {
      case 'show-providers':
        return finished(result(showProviders(this.catalog)));
      case 'show-services':
        return finished(result(showServices(this.catalog, st.provider)));
      case 'show-resources':
        return finished(result(showResources(this.catalog, st.provider, st.service)));
      case 'describe':
        return finished(result(describe(this.resolve(st.resourceId), st.extended)));
      case 'show-methods':
        return finished(result(showMethods(this.resolve(st.resourceId))));
      case 'explain': {
        // the plan's warnings are rows of the EXPLAIN table
        return finished(result(this.explainQuery(st.query)));
      }
      case 'exec': {
        const res = this.resolve(st.resourceId);
        const { result: rs, stats } = await withinDeadline(this.options.statementTimeoutMs, signal, (s) =>
          execMethod({
            res,
            method: st.method,
            args: st.args,
            allowWrites: Boolean(this.options.allowWrites),
            client: this.client(res.provider),
            config: this.providerConfig(res.provider),
            now: this.now(),
            signal: s,
          }),
        );
        return finished(result(rs, stats));
      }
      case 'query': {
        if (this.options.history) {
          const source = this.options.history;
          const { tables, rows } = await source.load(this.folded(st), this.sourceContext(st));
          try {
            return finished(result(this.store.query(runnableSql(st, tables)), { rowsFetched: rows }));
          } finally {
            for (const t of tables) this.store.dropTable(t);
          }
        }
        const plan = this.plan(st);
        const { stats, failures, notFound } = await this.load(plan, signal);
        const rewritten = runnableSql(st, plan.spanTables);
        const cleanUp = () => {
          for (const t of plan.tables) this.store.dropView(t.name);
          if (!this.cache.enabled) this.cache.clear();
        };
        let cursor: ResultCursor;
        try {
          cursor = this.store.iterate(rewritten);
        } catch (e) {
          cleanUp();
          throw e;
        }
        const { columns, types, rows } = cursor;
        const notices = plan.notices.filter((n) => !this.noticesShown.has(n));
        for (const n of notices) this.noticesShown.add(n);
        return {
          result: result({ columns, types, rows }, stats, [...plan.warnings, ...notices, ...notFound, ...failures], failures.length),
          done: () => {
            cursor.close();
            cleanUp();
          },
        };
      }
    }
  }

  private client(provider: string): ProviderClient {
    let c = this.clients.get(provider);
    if (!c) {
      const spec = this.catalog.providers.get(provider)!.spec;
      c = createProviderClient({
        ...this.options.fetch,
        ...this.options.providerFetch?.[provider],
        spec,
        config: this.providerConfig(provider),
        now: this.options.fetch?.now ?? this.options.now,
        onEvent: this.options.onEvent ?? this.options.fetch?.onEvent,
      });
      this.clients.set(provider, c);
    }
    return c;
  }

  /**
   * Fills the plan's tables: every fetch runs concurrently (clients bound the HTTP requests),
   * then each table reference becomes a view over the cache tables of its fetches.
   */
  private async load(plan: QueryPlan, signal?: AbortSignal): Promise<{ stats: LoadStats; failures: string[]; notFound: string[] }> {
    // Check credentials and settings of every provider before the first request.
    const providers = new Set([...plan.fetches.values()].map((f) => this.resolve(f.resourceId).provider));
    for (const p of providers) this.client(p).checkConfig();
    this.cache.clear(this.cache.enabled, this.now());

    const controller = new AbortController();
    const abort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', abort);
    const deadline = startDeadline(this.options.statementTimeoutMs, controller);
    const loader = new Loader(
      {
        store: this.store,
        resolve: (id) => this.resolve(id),
        client: (p) => this.client(p),
        now: this.now,
        partial: Boolean(this.options.partial),
        emit: this.options.onEvent ?? this.options.fetch?.onEvent,
        fetched: (key, pages) => this.pagesFetched.set(key, pages),
      },
      this.cache,
      plan,
      controller.signal,
    );
    try {
      const fail = (e: unknown): never => {
        controller.abort();
        throw e;
      };
      const tablesOf = (keys: string[]) => Promise.all(keys.map((k) => loader.tablesFor(k))).then((t) => t.flat(), fail);
      const [sources, lookups] = await Promise.all([
        Promise.all(plan.tables.map((t) => tablesOf(t.fetchKeys))),
        Promise.all(plan.tables.map((t) => Promise.all(t.lookups.map(async (l) => ({ ...l, tables: await tablesOf(l.fetchKeys) }))))),
      ]);
      plan.tables.forEach((t, i) => this.createView(t, sources[i], lookups[i]));
    } catch (e) {
      if (deadline.expired()) throw deadline.error();
      if (signal?.aborted) throw new SessqlError('CANCELLED', 'the statement was cancelled');
      throw toSessqlError(e);
    } finally {
      deadline.clear();
      signal?.removeEventListener('abort', abort);
    }
    return { stats: loader.stats, failures: loader.failures, notFound: [...loader.notFound] };
  }

  private createView(t: TablePlan, sources: string[], lookups: LoadedLookup[]): void {
    const res = this.resolve(t.resourceId);
    const unique = [...new Set(sources)];
    const body = unique.length ? unique.map((src) => viewSelect(res, t.columns, src, lookups)).join(' UNION ') : emptySelect(res, t.columns);
    this.store.createView(t.name, body);
  }
}

/** Every name a column of the resource answers to: row columns, parameters and their aliases. */
function columnNames(res: ResourceRef): string[] {
  return [...res.spec.columns.map((c) => c.name), ...Object.entries(res.spec.parameters).flatMap(([p, spec]) => [p, ...spec.aliases])];
}

/** The statement as SQLite runs it: each sessql table name replaced by the view that holds its rows. */
function runnableSql(q: Extract<Statement, { kind: 'query' }>, views: string[]): string {
  return splice(q.text, q.spans, (span, i) => {
    const name = quoteIdent(views[i]);
    return span.aliased ? name : `${name} AS ${quoteIdent(span.resourceId.split('.')[2])}`;
  });
}

/** A script's statements; an unterminated string or comment is a SQL_SYNTAX error. */
function statementsOf(script: string): ReturnType<typeof splitStatements> {
  try {
    return splitStatements(script);
  } catch (e) {
    throw toSyntax(e);
  }
}

function toSyntax(e: unknown): SessqlError {
  if (e instanceof Error && 'position' in e) return new SessqlError('SQL_SYNTAX', e.message);
  return toSessqlError(e);
}

export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
