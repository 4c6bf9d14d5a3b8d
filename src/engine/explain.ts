// EXPLAIN: the plan as a result set — predicates pushed and not pushed (with why), and the API
// calls the statement will make. Built from the plan alone: no network I/O.
import type { ResourceRef } from '../manifest/catalog.js';
import type { FetchSpec, QueryPlan } from '../plan/plan.js';
import { pickRequest } from './loader.js';
import type { ResultSet } from '../store/sqlite.js';

export function explainPlan(
  plan: QueryPlan,
  resolve: (id: string) => ResourceRef,
  config: (provider: string) => Record<string, string | undefined> = () => ({}),
): ResultSet {
  const rows: string[][] = [];
  for (const n of plan.notes) rows.push([n.pushed ? 'pushed' : 'not pushed', n.reference, `${n.text} — ${n.detail}`]);
  const calls = [...plan.fetches.values()];
  const listings = new Set(calls.flatMap((f) => f.enumerate?.fetches ?? []));
  // listings first: they run before the calls they enumerate
  const ordered = [...calls.filter((f) => listings.has(f.key)), ...calls.filter((f) => !listings.has(f.key))];
  for (const f of ordered) {
    const res = resolve(f.resourceId);
    let detail = describeCall(f, res, config(res.provider));
    if (f.enumerate) {
      const from = [...new Set(f.enumerate.fetches.map((k) => plan.fetches.get(k)?.resourceId))].join(', ');
      detail += ` — once per row of ${from}, taking ${Object.keys(f.enumerate.columns).join(', ')} from it`;
    }
    if (listings.has(f.key)) detail += ' — a listing, to enumerate parameters';
    if (f.subWindows?.length) {
      const starts = f.subWindows.map((w) => Object.values(w)[0]).join(', ');
      detail += ` — probes the whole window with one page; when more pages follow and the rate limit leaves room, fetches ${f.subWindows.length} sub-windows concurrently, starting ${starts}`;
      const split = res.spec.windowSplit;
      if (split?.orderedBy) {
        detail +=
          `; at run time (pages come in ${split.orderedBy} order) it skips what the probe page already covered, splits the rest among the ${f.subWindows.length} slots` +
          (split.createdOnly
            ? ` (sub-windows ask ${split.createdOnly}=true; the probe's own chain keeps going for rows created before the window)`
            : '') +
          ', and splits the rest of a sub-window that falls behind when a slot frees';
      }
    }
    rows.push(['call', f.resourceId, detail]);
  }
  if (calls.length === 0) rows.push(['call', '', 'no API call: the WHERE clause cannot match any row']);
  for (const w of [...plan.warnings, ...plan.notices]) rows.push(['warning', '', w]);
  return { columns: ['step', 'table', 'detail'], rows };
}

export function describeCall(f: FetchSpec, res: ResourceRef, config: Record<string, string | undefined> = {}): string {
  const { parameters, pagination } = res.spec;
  const request = pickRequest(res, f.sqlValues);
  const fill = (text: string) =>
    text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, k: string) => (f.wire[k] === undefined && config[k] !== undefined ? String(config[k]) : m));
  let path = fill(request.path);
  const query: string[] = Object.entries(request.query).map(([k, v]) => `${k}=${fill(String(v))}`);
  for (const [name, value] of Object.entries(f.wire)) {
    const p = parameters[name];
    if (!p) continue;
    const wireName = p.wireName ?? name;
    if (p.in === 'path') path = path.replace(`{${wireName}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.push(`${wireName}=${encodeURIComponent(String(value))}`);
  }
  const pages =
    pagination.kind === 'none'
      ? ''
      : ` (every page: ${pagination.kind} paging${f.maxRows !== undefined ? `, stopping after ${f.maxRows} rows` : ''})`;
  const lro = res.spec.longRunning ? ', polling a long-running operation if the API answers 202' : '';
  return `${request.method} ${path}${query.length ? `?${query.join('&')}` : ''}${pages}${lro}`;
}
