// The history table of a syncable resource: one table per resource, named after it
// (`cloudconnexa.vpn.sessions` → `cloudconnexa_vpn_sessions`), with the live column names, the
// required path parameters (they say where a row lives, e.g. the Bastion host), and the sighting
// columns. Invariant: the key is the resource key plus those parameters, never NULL.
import type { ResourceRef } from '../manifest/catalog.js';
import type { ColumnType, SyncSpec } from '../manifest/schema.js';

export type HistoryType = ColumnType;

export interface HistoryColumn {
  name: string;
  type: HistoryType;
  caseInsensitive: boolean;
  /** A request parameter stored as a column (not a field of the API item). */
  param: boolean;
}

export interface HistoryTableDef {
  resourceId: string;
  /** Physical table name in the history database. */
  name: string;
  mode: SyncSpec['mode'];
  /** Data columns, in order (without the sighting columns). */
  columns: HistoryColumn[];
  key: string[];
  /** Sighting columns: `_first_seen`, `_last_seen`, and `_gone_at` for snapshot resources. */
  sighting: string[];
  /** Columns worth an index for reads (time columns of the high-water mark). */
  indexed: string[];
}

export const FIRST_SEEN = '_first_seen';
export const LAST_SEEN = '_last_seen';
export const GONE_AT = '_gone_at';
/** Sync bookkeeping: the high-water mark per table and source. */
export const STATE_TABLE = '_sessql_sync_state';

export function historyTableName(resourceId: string): string {
  return resourceId.replace(/\./g, '_');
}

export function historyTable(res: ResourceRef): HistoryTableDef | undefined {
  const sync = res.spec.sync;
  if (!sync) return undefined;
  const rowNames = new Set(res.spec.columns.map((c) => c.name.toLowerCase()));
  const columns: HistoryColumn[] = res.spec.columns.map((c) => ({ name: c.name, type: c.type, caseInsensitive: c.caseInsensitive, param: false }));
  const params = Object.entries(res.spec.parameters).filter(([n, p]) => p.in === 'path' && p.required && !rowNames.has(n.toLowerCase()));
  for (const [n, p] of params)
    columns.push({
      name: n,
      type: p.type === 'integer' ? 'integer' : p.type === 'boolean' ? 'boolean' : 'string',
      caseInsensitive: p.caseInsensitive,
      param: true,
    });
  const key = [...res.spec.key, ...params.map(([n]) => n).filter((n) => !res.spec.key.includes(n))];
  return {
    resourceId: res.id,
    name: historyTableName(res.id),
    mode: sync.mode,
    columns,
    key,
    sighting: sync.mode === 'snapshot' ? [FIRST_SEEN, LAST_SEEN, GONE_AT] : [FIRST_SEEN, LAST_SEEN],
    indexed: sync.mode === 'incremental' ? sync.highWater : [],
  };
}
