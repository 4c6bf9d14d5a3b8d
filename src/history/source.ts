// The history database as a source of table references (`--db`): each reference of a statement
// gets an in-memory table with the live columns plus the sighting columns, filled with the
// history rows its pushable conjuncts select. Invariant: the rows read are a superset of those
// the user's WHERE keeps (the whole WHERE runs again in SQLite); history has no default window.
import { SessqlError } from '../errors.js';
import type { ResourceRef } from '../manifest/catalog.js';
import { tableColumns, type TableColumn } from '../plan/plan.js';
import { SQLITE_TYPE, type SqlValue } from '../rows/convert.js';
import type { QueryAnalysis, TableReference } from '../sql/types.js';
import type { ResultSet, Store } from '../store/sqlite.js';
import { historyNames, referenceFilters } from './pushdown.js';
import type { HistoryStore } from './store.js';
import { historyTable, type HistoryColumn, type HistoryTableDef } from './table.js';

export interface SourceContext {
  store: Store;
  resolve(id: string): ResourceRef;
  /** Lower-cased identifiers of the statement (which snake_case aliases it uses). */
  usedIdentifiers: Set<string>;
}

export interface SourceLoad {
  /** In-memory table of each table span, in span order. */
  tables: string[];
  rows: number;
}

/** What the engine needs from a source that answers table references instead of the APIs. */
export interface TableSource {
  readonly description: string;
  load(analysis: QueryAnalysis, ctx: SourceContext): Promise<SourceLoad>;
  explain(analysis: QueryAnalysis, ctx: SourceContext): ResultSet;
  close(): Promise<void>;
}

interface Prepared {
  ref: TableReference;
  res: ResourceRef;
  def: HistoryTableDef;
  columns: TableColumn[];
  filters: ReturnType<typeof referenceFilters>;
}

export class HistorySource implements TableSource {
  private counter = 0;

  constructor(private readonly history: HistoryStore) {}

  get description(): string {
    return `history ${this.history.target}`;
  }

  private prepare(analysis: QueryAnalysis, ctx: SourceContext): Prepared[] {
    const defs = new Map<string, { res: ResourceRef; def: HistoryTableDef | undefined; names: Map<string, HistoryColumn | null> }>();
    const info = (id: string) => {
      let d = defs.get(id);
      if (!d) {
        const res = ctx.resolve(id);
        const def = historyTable(res);
        d = { res, def, names: historyNames(res, def) };
        defs.set(id, d);
      }
      return d;
    };
    const refs = [...analysis.references].sort((a, b) => a.index - b.index);
    return refs.map((ref) => {
      const { res, def } = info(ref.resourceId);
      if (!def) {
        throw new SessqlError('UNKNOWN_TABLE', `${ref.resourceId} is not kept in history (its manifest does not mark it syncable)`, {
          hint: 'query it live (without --db), or list the syncable tables in docs/history.md',
        });
      }
      const scope = analysis.references.filter((r) => r.scope === ref.scope);
      // an unanalysed statement has no conjuncts: everything is read
      const filters = referenceFilters(ref, analysis.conjuncts, scope, (r) => info(r.resourceId).names);
      return { ref, res, def, columns: tableColumns(res, ctx.usedIdentifiers), filters };
    });
  }

  async load(analysis: QueryAnalysis, ctx: SourceContext): Promise<SourceLoad> {
    const prepared = this.prepare(analysis, ctx);
    for (const p of new Set(prepared.map((x) => x.def))) {
      if (!(await this.history.hasTable(p))) {
        throw new SessqlError('UNKNOWN_TABLE', `${p.resourceId} has not been synced into ${this.history.target}`, {
          hint: `run: sessql sync --db ${this.history.target} ${p.resourceId}`,
        });
      }
    }
    const tables: string[] = [];
    let rows = 0;
    for (const p of prepared) {
      const name = `history_${++this.counter}_${p.def.name}`;
      rows += await this.fill(p, name, ctx.store);
      tables.push(name);
    }
    return { tables, rows };
  }

  private async fill(p: Prepared, name: string, store: Store): Promise<number> {
    const { res, def, columns } = p;
    const sighting = def.sighting;
    store.createTable(
      name,
      [...columns.map((c) => ({ name: c.name, sqlType: memoryType(res, c) })), ...sighting.map((s) => ({ name: s, sqlType: 'TEXT' }))],
      [],
    );
    const index = new Map(def.columns.map((c, i) => [c.name.toLowerCase(), i]));
    const aliasOf = new Map<string, string>();
    for (const [param, spec] of Object.entries(res.spec.parameters)) for (const a of spec.aliases) aliasOf.set(a.toLowerCase(), param.toLowerCase());
    const fill = new Map<string, SqlValue>();
    for (const [k, v] of p.filters.fill) fill.set(aliasOf.get(k) ?? k, typeof v === 'boolean' ? (v ? 1 : 0) : v);
    // each in-memory column: a position in the history row, or a constant
    const picks: Array<number | { value: SqlValue }> = columns.map((c) => {
      const name = (c.kind === 'row' ? c.name : c.param).toLowerCase();
      const i = index.get(name);
      return i !== undefined ? i : { value: fill.get(name) ?? null };
    });
    sighting.forEach((_, i) => picks.push(def.columns.length + i));
    const insert = store.inserter(name, picks.length, false);
    const read = await this.history.read(def, p.filters.filters, (batch) => {
      insert(batch.map((r) => picks.map((k) => (typeof k === 'number' ? r[k] : k.value))));
    });
    return read.rows;
  }

  explain(analysis: QueryAnalysis, ctx: SourceContext): ResultSet {
    const rows = this.prepare(analysis, ctx).map((p) => {
      const { sql, kept, params } = this.history.readSql(p.def, p.filters.filters);
      const label = p.ref.alias ? `${p.ref.resourceId} AS ${p.ref.alias}` : p.ref.resourceId;
      const shown = params.length ? `${sql} -- ${params.map((v) => JSON.stringify(v)).join(', ')}` : sql;
      return [label, shown, kept.map((f) => f.text).join('; ') || null] as SqlValue[];
    });
    return { columns: ['table', `query in ${this.history.target}`, 'filtered only in SQLite'], rows };
  }

  close(): Promise<void> {
    return this.history.close();
  }
}

function memoryType(res: ResourceRef, c: TableColumn): string {
  if (c.kind === 'row') return SQLITE_TYPE[c.spec.type] + (c.spec.caseInsensitive ? ' COLLATE NOCASE' : '');
  const p = res.spec.parameters[c.param];
  return (p?.type === 'integer' || p?.type === 'boolean' ? 'INTEGER' : 'TEXT') + (p?.caseInsensitive ? ' COLLATE NOCASE' : '');
}
