// The engine composes the pipeline: analyse → plan (no I/O) → fetch → validate → load → execute.
// Invariants: analysis and planning finish before the first HTTP call; a failed fetch fails the
// statement (never partial rows); the user's SQL runs as written apart from the table names.
import { SessqlError, toSessqlError } from '../errors.js';
import { Catalog, type ResourceRef } from '../manifest/catalog.js';
import { createProviderClient } from '../fetch/client.js';
import type { CallStats, FetchEvent, ProviderClient, ProviderClientOptions } from '../fetch/types.js';
import { planQuery, type FetchSpec, type QueryPlan, type TablePlan } from '../plan/plan.js';
import { rowBuilder, SQLITE_TYPE, type SqlValue } from '../rows/convert.js';
import { analyseStatement, splice, type Statement } from '../sql/analyse.js';
import { significant, splitStatements, tokenize, identifierText } from '../sql/lexer.js';
import { Store, quoteIdent, type ResultSet } from '../store/sqlite.js';
import { resolveProviderConfig, type ProviderConfig } from './config.js';
import { describeCall, explainPlan } from './explain.js';
import { describe, showProviders, showResources, showServices } from './metadata.js';

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
  onEvent?: (e: FetchEvent) => void;
}

export interface StatementStats {
  fetches: number;
  requests: number;
  pages: number;
  rowsFetched: number;
  retries: number;
  throttled: number;
  elapsedMs: number;
}

export interface StatementResult extends ResultSet {
  /** The statement as written. */
  sql: string;
  kind: Statement['kind'];
  stats: StatementStats;
  warnings: string[];
}

const ZERO: CallStats = { requests: 0, pages: 0, rows: 0, retries: 0, throttled: 0, polls: 0, tokenRequests: 0 };

export class Engine {
  readonly catalog: Catalog;
  private readonly store = new Store();
  private readonly clients = new Map<string, ProviderClient>();
  private readonly configs = new Map<string, ProviderConfig>();
  private readonly now: () => number;

  constructor(private readonly options: EngineOptions = {}) {
    this.catalog = Catalog.load(options.manifests ?? []);
    this.now = options.now ?? Date.now;
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
    let statements;
    try {
      statements = splitStatements(script);
    } catch (e) {
      throw toSyntax(e);
    }
    for (const s of statements) yield await this.execute(s.text, signal);
  }

  /** Analyses and plans a query without any I/O (EXPLAIN, --dry-run). */
  explain(sql: string): ResultSet {
    const st = this.analyse(sql);
    const q = st.kind === 'explain' ? st.query : st;
    if (q.kind !== 'query') throw new SessqlError('SQL_UNSUPPORTED', 'only queries can be explained');
    return explainPlan(this.plan(q), (id) => this.resolve(id));
  }

  close(): void {
    this.store.close();
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

  resolve(id: string): ResourceRef {
    const res = this.catalog.find(id, (p) => this.providerConfig(p));
    if (!res) throw new SessqlError('UNKNOWN_TABLE', `unknown table ${id}`);
    return res;
  }

  private analyse(sql: string): Statement {
    return analyseStatement(sql, {
      resourceIds: () => this.catalog.resourceIds(),
      providerNames: () => [...this.catalog.providers.keys()],
    });
  }

  private plan(q: Extract<Statement, { kind: 'query' }>): QueryPlan {
    const identifiers = new Set(
      significant(tokenize(q.text))
        .filter((t) => t.kind === 'word' || t.kind === 'quoted')
        .map((t) => identifierText(t).toLowerCase()),
    );
    return planQuery(
      q.analysis,
      { resolve: (id) => this.resolve(id), config: (p) => this.providerConfig(p), now: this.now(), pushdown: this.options.pushdown },
      identifiers,
    );
  }

  private async execute(sql: string, signal?: AbortSignal): Promise<StatementResult> {
    const started = this.now();
    const st = this.analyse(sql);
    const result = (rs: ResultSet, stats: Partial<StatementStats> = {}, warnings: string[] = []): StatementResult => ({
      ...rs,
      sql,
      kind: st.kind,
      warnings,
      stats: { fetches: 0, requests: 0, pages: 0, rowsFetched: 0, retries: 0, throttled: 0, ...stats, elapsedMs: this.now() - started },
    });
    switch (st.kind) {
      case 'show-providers':
        return result(showProviders(this.catalog));
      case 'show-services':
        return result(showServices(this.catalog, st.provider));
      case 'show-resources':
        return result(showResources(this.catalog, st.provider, st.service));
      case 'describe':
        return result(describe(this.resolve(st.resourceId), st.extended));
      case 'explain': {
        const plan = this.plan(st.query);
        return result(explainPlan(plan, (id) => this.resolve(id)), {}, plan.warnings);
      }
      case 'exec':
        throw new SessqlError('SQL_UNSUPPORTED', `EXEC ${st.resourceId}.${st.method}: this resource has no such method`);
      case 'query': {
        const plan = this.plan(st);
        const { stats } = await this.load(plan, signal);
        const rewritten = splice(st.text, st.spans, (span, i) => {
          const name = quoteIdent(plan.spanTables[i]);
          return span.aliased ? name : `${name} AS ${quoteIdent(span.resourceId.split('.')[2])}`;
        });
        try {
          if (st.analysis.unanalysed) this.store.check(rewritten);
          const rs = this.store.query(rewritten);
          return result(rs, stats, plan.warnings);
        } finally {
          for (const t of plan.tables) this.store.dropTable(t.name);
        }
      }
    }
  }

  private client(provider: string): ProviderClient {
    let c = this.clients.get(provider);
    if (!c) {
      const spec = this.catalog.providers.get(provider)!.spec;
      c = createProviderClient({
        ...this.options.fetch,
        spec,
        config: this.providerConfig(provider),
        now: this.options.fetch?.now ?? this.options.now,
        onEvent: this.options.onEvent ?? this.options.fetch?.onEvent,
      });
      this.clients.set(provider, c);
    }
    return c;
  }

  /** Creates the plan's tables and fills them; every fetch runs concurrently (clients bound HTTP). */
  private async load(plan: QueryPlan, signal?: AbortSignal): Promise<{ stats: Partial<StatementStats> }> {
    for (const t of plan.tables) {
      const res = this.resolve(t.resourceId);
      this.store.createTable(
        t.name,
        t.columns.map((c) => ({ name: c.name, sqlType: c.kind === 'row' ? SQLITE_TYPE[c.spec.type] : paramType(res, c.param) })),
        t.unique,
      );
    }
    // Check credentials and settings of every provider before the first request.
    const providers = new Set([...plan.fetches.values()].map((f) => this.resolve(f.resourceId).provider));
    for (const p of providers) this.client(p).checkConfig();

    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort);
    const totals: CallStats = { ...ZERO };
    try {
      await Promise.all(
        [...plan.fetches.values()].map((f) =>
          this.runFetch(f, plan.tables.filter((t) => t.fetchKeys.includes(f.key)), totals, controller.signal).catch((e) => {
            controller.abort();
            throw e;
          }),
        ),
      );
    } catch (e) {
      for (const t of plan.tables) this.store.dropTable(t.name);
      // the first failure is the one to report; later ones are usually the abort it caused
      throw toSessqlError(e);
    } finally {
      signal?.removeEventListener('abort', abort);
    }
    if (signal?.aborted) throw new SessqlError('CANCELLED', 'the statement was cancelled');
    return {
      stats: { fetches: plan.fetches.size, requests: totals.requests, pages: totals.pages, rowsFetched: totals.rows, retries: totals.retries, throttled: totals.throttled },
    };
  }

  private async runFetch(f: FetchSpec, tables: TablePlan[], totals: CallStats, signal: AbortSignal): Promise<void> {
    if (f.enumerate) throw new SessqlError('SQL_UNSUPPORTED', `${f.resourceId}: enumerating parameters is not supported yet`);
    const res = this.resolve(f.resourceId);
    const sinks = tables.map((t) => {
      const build = rowBuilder(t.resourceId, t.columns, f.sqlValues);
      const insert = this.store.inserter(t.name, t.columns.length, t.unique.length > 0);
      return { build, insert };
    });
    let index = 0;
    const stats = await this.client(res.provider).fetchPages(
      {
        resourceId: res.id,
        request: res.spec.request,
        parameters: res.spec.parameters,
        params: f.wire,
        rows: res.spec.rows,
        pagination: res.spec.pagination,
        longRunning: res.spec.longRunning,
        maxRows: f.maxRows,
        signal,
      },
      (items) => {
        for (const sink of sinks) {
          const rows: SqlValue[][] = items.map((item, i) => sink.build(item, index + i));
          sink.insert(rows);
        }
        index += items.length;
      },
    );
    for (const k of Object.keys(totals) as (keyof CallStats)[]) totals[k] += stats[k];
  }

  /** Human-readable API calls of a plan (used by --dry-run). */
  describeCalls(plan: QueryPlan): string[] {
    return [...plan.fetches.values()].map((f) => describeCall(f, this.resolve(f.resourceId)));
  }
}

function paramType(res: ResourceRef, param: string): string {
  const t = res.spec.parameters[param]?.type ?? 'string';
  return t === 'integer' || t === 'boolean' ? 'INTEGER' : 'TEXT';
}

function toSyntax(e: unknown): SessqlError {
  if (e instanceof Error && 'position' in e) return new SessqlError('SQL_SYNTAX', e.message);
  return toSessqlError(e);
}

export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
