// EXEC provider.service.resource.method @name='value', … (stackql's form): calls a manifest
// method such as disconnecting Bastion sessions. Writes are refused unless explicitly allowed;
// the arguments are validated like WHERE bindings before any request.
import { SessqlError } from '../errors.js';
import type { ResourceRef } from '../manifest/catalog.js';
import type { ProviderClient } from '../fetch/types.js';
import type { TableColumn } from '../plan/plan.js';
import { wireValue, type Scalar } from '../plan/values.js';
import { rowBuilder, type SqlValue } from '../rows/convert.js';
import type { ResultSet } from '../store/sqlite.js';
import type { LoadStats } from './loader.js';

export interface ExecMethodOptions {
  res: ResourceRef;
  method: string;
  args: Record<string, string>;
  allowWrites: boolean;
  client: ProviderClient;
  config: Record<string, string | undefined>;
  now: number;
  signal?: AbortSignal;
}

export async function execMethod(o: ExecMethodOptions): Promise<{ result: ResultSet; stats: Partial<LoadStats> }> {
  const m = o.res.spec.methods[o.method];
  if (!m) {
    const known = Object.keys(o.res.spec.methods);
    throw new SessqlError('SQL_UNSUPPORTED', `${o.res.id} has no method '${o.method}'`, {
      hint: known.length ? `methods of ${o.res.id}: ${known.join(', ')}` : `${o.res.id} has no EXEC methods; query it with SELECT`,
    });
  }
  if (m.write && !o.allowWrites) {
    throw new SessqlError('WRITE_NOT_ALLOWED', `EXEC ${o.res.id}.${o.method} changes data and is refused by default`, {
      hint: 'run again with --allow-writes to perform it',
    });
  }
  const params = bindArgs(o, m.parameters);
  const columns: TableColumn[] = m.columns.map((spec) => ({ name: spec.name, kind: 'row', spec }));
  const build = rowBuilder(`${o.res.id}.${o.method}`, columns, {});
  const rows: SqlValue[][] = [];
  o.client.checkConfig();
  const stats = await o.client.fetchPages(
    {
      resourceId: `${o.res.id}.${o.method}`,
      request: m.request,
      parameters: m.parameters,
      params,
      rows: m.rows,
      pagination: m.pagination,
      idempotent: !m.write,
      signal: o.signal,
    },
    (items) => items.forEach((item) => rows.push(build(item, rows.length))),
  );
  return {
    result: { columns: m.columns.map((c) => c.name), rows },
    stats: { fetches: 1, requests: stats.requests, pages: stats.pages, rowsFetched: stats.rows, retries: stats.retries, throttled: stats.throttled },
  };
}

function bindArgs(o: ExecMethodOptions, specs: ResourceRef['spec']['methods'][string]['parameters']): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  const byName = new Map<string, string>();
  for (const [name, p] of Object.entries(specs)) {
    byName.set(name.toLowerCase(), name);
    for (const a of p.aliases) byName.set(a.toLowerCase(), name);
  }
  const table = `${o.res.id}.${o.method}`;
  for (const [arg, value] of Object.entries(o.args)) {
    const name = byName.get(arg.toLowerCase());
    if (!name) {
      throw new SessqlError('INVALID_PARAMETER', `${table} has no parameter @${arg}`, {
        hint: `parameters: ${Object.keys(specs)
          .map((n) => `@${n}`)
          .join(', ')}`,
      });
    }
    const spec = specs[name];
    if (spec.type === 'json') {
      try {
        JSON.parse(value);
      } catch {
        throw new SessqlError('INVALID_PARAMETER', `${table}: @${name} must be JSON, such as '["id1","id2"]'`);
      }
      out[name] = value;
    } else {
      out[name] = wireValue(value, { table, name, spec, now: o.now });
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (out[name] !== undefined) continue;
    const def = spec.defaultFromConfig ? o.config[spec.defaultFromConfig] : undefined;
    if (def !== undefined) out[name] = def;
    else if (spec.required) {
      throw new SessqlError('MISSING_PARAMETER', `${table} needs @${name}`, {
        hint: `EXEC ${table} ${Object.entries(specs)
          .filter(([, s]) => s.required)
          .map(([n]) => `@${n}='…'`)
          .join(', ')}`,
      });
    }
  }
  return out;
}
