// EXPLAIN: the plan as a result set — predicates pushed and not pushed (with why), and the API
// calls the statement will make. Built from the plan alone: no network I/O.
import type { ResourceRef } from '../manifest/catalog.js';
import type { FetchSpec, QueryPlan } from '../plan/plan.js';
import type { ResultSet } from '../store/sqlite.js';

export function explainPlan(plan: QueryPlan, resolve: (id: string) => ResourceRef): ResultSet {
  const rows: string[][] = [];
  for (const n of plan.notes) rows.push([n.pushed ? 'pushed' : 'not pushed', n.reference, `${n.text} — ${n.detail}`]);
  const calls = [...plan.fetches.values()];
  const enumerations = new Map<string, FetchSpec>();
  for (const f of calls) if (f.enumerate) enumerations.set(f.enumerate.fetch.key, f.enumerate.fetch);
  for (const f of enumerations.values()) rows.push(['call', f.resourceId, describeCall(f, resolve(f.resourceId)) + ' (to enumerate parameters)']);
  for (const f of calls) {
    const res = resolve(f.resourceId);
    const per = f.enumerate ? ` for each row listed, ${Object.keys(f.enumerate.columns).join(' + ')} from ${f.enumerate.fetch.resourceId}` : '';
    rows.push(['call', f.resourceId, describeCall(f, res) + per]);
  }
  if (calls.length === 0) rows.push(['call', '', 'no API call: the WHERE clause cannot match any row']);
  for (const w of plan.warnings) rows.push(['warning', '', w]);
  return { columns: ['step', 'table', 'detail'], rows };
}

export function describeCall(f: FetchSpec, res: ResourceRef): string {
  const { request, parameters, pagination } = res.spec;
  let path = request.path;
  const query: string[] = Object.entries(request.query).map(([k, v]) => `${k}=${v}`);
  for (const [name, value] of Object.entries(f.wire)) {
    const p = parameters[name];
    if (!p) continue;
    const wireName = p.wireName ?? name;
    if (p.in === 'path') path = path.replace(`{${wireName}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.push(`${wireName}=${encodeURIComponent(String(value))}`);
  }
  const pages = pagination.kind === 'none' ? '' : ` (every page: ${pagination.kind} paging${f.maxRows !== undefined ? `, stopping after ${f.maxRows} rows` : ''})`;
  const lro = res.spec.longRunning ? ', polling a long-running operation if the API answers 202' : '';
  return `${request.method} ${path}${query.length ? `?${query.join('&')}` : ''}${pages}${lro}`;
}
