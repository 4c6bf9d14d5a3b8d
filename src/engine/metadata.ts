// Metadata statements answered from the manifests alone (no I/O): SHOW PROVIDERS, SHOW SERVICES,
// SHOW RESOURCES, DESCRIBE [EXTENDED]. Each returns an ordinary result set so every output
// format renders it.
import { SessqlError } from '../errors.js';
import type { Catalog, ResourceRef } from '../manifest/catalog.js';
import { lowerBoundColumns, type ParameterSpec } from '../manifest/schema.js';
import type { ResultSet } from '../store/sqlite.js';

export function showProviders(catalog: Catalog): ResultSet {
  const rows = [...catalog.providers.values()].map(({ spec }) => {
    const resources = Object.values(spec.services).reduce((n, s) => n + Object.keys(s.resources).length, 0);
    return [spec.name, spec.title, Object.keys(spec.services).length, resources, spec.description];
  });
  return { columns: ['name', 'title', 'services', 'resources', 'description'], rows };
}

export function showServices(catalog: Catalog, provider: string): ResultSet {
  const spec = catalog.providers.get(provider)?.spec;
  if (!spec) throw new SessqlError('UNKNOWN_PROVIDER', `unknown provider '${provider}'`);
  const rows = Object.entries(spec.services).map(([name, s]) => [name, `${provider}.${name}`, Object.keys(s.resources).length, s.description]);
  return { columns: ['name', 'id', 'resources', 'description'], rows };
}

export function showResources(catalog: Catalog, provider: string, service?: string): ResultSet {
  const spec = catalog.providers.get(provider)?.spec;
  if (!spec) throw new SessqlError('UNKNOWN_PROVIDER', `unknown provider '${provider}'`);
  if (service && !spec.services[service]) {
    throw new SessqlError('UNKNOWN_SERVICE', `unknown service '${provider}.${service}'`, { hint: `SHOW SERVICES IN ${provider} lists its services` });
  }
  const rows = Object.entries(spec.services)
    .filter(([s]) => !service || s === service)
    .flatMap(([s, svc]) => Object.entries(svc.resources).map(([r, res]) => [r, `${provider}.${s}.${r}`, res.title ?? '', oneLine(res.description)]));
  return { columns: ['name', 'id', 'title', 'description'], rows };
}

/**
 * SHOW METHODS (stackql's): the SELECT method of a resource and its EXEC methods, each with the
 * parameters it requires and the ones it accepts.
 */
export function showMethods(res: ResourceRef): ResultSet {
  const params = (ps: Record<string, ParameterSpec>, required: boolean) =>
    Object.entries(ps)
      .filter(([, p]) => (requirement(p) === 'required') === required)
      .map(([n]) => n)
      .join(', ');
  const request = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
  const rows: (string | null)[][] = [
    [
      'select',
      'SELECT',
      params(res.spec.parameters, true),
      params(res.spec.parameters, false),
      request(res.spec.request),
      oneLine(res.spec.description),
    ],
  ];
  for (const [name, m] of Object.entries(res.spec.methods)) {
    rows.push([name, 'EXEC', params(m.parameters, true), params(m.parameters, false), request(m.request), oneLine(m.description)]);
  }
  return { columns: ['method', 'sql_verb', 'required_params', 'optional_params', 'request', 'description'], rows };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function paramDefault(p: ParameterSpec): string | null {
  if (p.defaultFromConfig) return `config ${p.defaultFromConfig}`;
  if (p.default === undefined) return null;
  if (typeof p.default === 'string' && p.default.startsWith('now-')) return `now - ${p.default.slice(5).toLowerCase()}`;
  return String(p.default);
}

function requirement(p: ParameterSpec): string {
  if (!p.required) return 'optional';
  if (p.enumerate === 'enum') return 'optional (unbound: every value)';
  if (p.enumerate) return `optional (unbound: every ${p.enumerate.resource} row)`;
  if (p.default !== undefined || p.defaultFromConfig) return 'optional (has a default)';
  return 'required';
}

/** DESCRIBE: one row per column and per parameter. EXTENDED adds wire and history details. */
export function describe(res: ResourceRef, extended: boolean): ResultSet {
  const rowNames = new Set(res.spec.columns.map((c) => c.name));
  const filtered = new Map<string, string>();
  for (const [name, p] of Object.entries(res.spec.parameters)) for (const c of Object.keys(p.filter?.columns ?? {})) filtered.set(c, name);
  const rows: (string | null)[][] = [];
  for (const c of res.spec.columns) {
    const p = res.spec.parameters[c.name];
    // a column that is no parameter is never required in the WHERE and takes any value
    const kind = p ? 'column, parameter' : filtered.has(c.name) ? `column, in ${filtered.get(c.name)}` : 'column';
    const base = [c.name, c.type, kind, p ? requirement(p) : 'no', p?.enum?.join(', ') ?? 'any', p ? paramDefault(p) : null, oneLine(c.description)];
    rows.push(
      extended
        ? [...base, c.extract ? `from ${c.extract.from} /${c.extract.pattern}/` : [c.from ?? c.name].flat().join(' or '), p ? wireNote(p) : null]
        : base,
    );
  }
  for (const [name, p] of Object.entries(res.spec.parameters)) {
    if (rowNames.has(name)) continue;
    const desc = [oneLine(p.description), p.maxAgeNote ?? ''].filter(Boolean).join(' ');
    if (p.filter) {
      // not a column: pushdown fills it from predicates on the columns it names
      const base = [name, p.type, 'filter', `set from WHERE on ${Object.keys(p.filter.columns).join(', ')}`, null, null, desc];
      rows.push(extended ? [...base, null, wireNote(p)] : base);
      continue;
    }
    const base = [name, p.type, 'parameter', requirement(p), p.enum?.join(', ') ?? 'any', paramDefault(p), desc];
    rows.push(extended ? [...base, null, wireNote(p)] : base);
  }
  const columns = ['name', 'type', 'kind', 'required', 'allowed_values', 'default', 'description'];
  return { columns: extended ? [...columns, 'api_field', 'api_parameter'] : columns, rows };
}

function wireNote(p: ParameterSpec): string {
  const parts = [`${p.in} ${p.wireName ?? ''}`.trim()];
  if (p.aliases.length) parts.push(`also spelled ${p.aliases.join(', ')}`);
  if (p.maxAge) parts.push(`history window ${p.maxAge}`);
  if (p.lowerBoundOf) parts.push(`${lowerBoundColumns(p).join(' or ')} >= X binds it to X`);
  return parts.join('; ');
}
