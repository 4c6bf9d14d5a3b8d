// Whole-manifest checks after the zod schema: cross-references zod cannot express (settings named
// by auth and parameters, key and lowerBoundOf columns, alternatives.whenBound and windowSplit
// parameters, enumerate resources and columns, filter columns) and every variant applied on its
// own and checked again. Each problem is an INVALID_MANIFEST naming the file and the path.
import type { z } from 'zod';
import { SessqlError } from '../errors.js';
import { lowerBoundColumns, schemas, type ProviderSpec, type ResourceSpec } from './schema.js';

type Problem = { path: string; message: string };

export function formatZodIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(top level)'}: ${i.message}`)
    .join('; ');
}

function invalid(file: string, problems: Problem[]): SessqlError {
  const text = problems
    .slice(0, 5)
    .map((p) => `${p.path}: ${p.message}`)
    .join('; ');
  return new SessqlError('INVALID_MANIFEST', `provider manifest ${file} is invalid: ${text}`, {
    hint: 'see docs/providers.md for the manifest format',
  });
}

function settingRefs(spec: ProviderSpec): Array<[string, string | undefined]> {
  const a = spec.auth;
  const refs: Array<[string, string | undefined]> = [['baseUrlConfig', spec.baseUrlConfig]];
  switch (a.kind) {
    case 'bearer':
    case 'azure-credential':
      refs.push(['auth.tokenConfig', a.tokenConfig]);
      break;
    case 'oauth2-client-credentials':
      refs.push(['auth.clientIdConfig', a.clientIdConfig], ['auth.clientSecretConfig', a.clientSecretConfig]);
      break;
    case 'login':
      refs.push(['auth.tokenConfig', a.tokenConfig], ...a.loginConfig.map((k, i): [string, string] => [`auth.loginConfig.${i}`, k]));
      break;
    case 'sigv4':
      refs.push(
        ['auth.accessKeyIdConfig', a.accessKeyIdConfig],
        ['auth.secretAccessKeyConfig', a.secretAccessKeyConfig],
        ['auth.sessionTokenConfig', a.sessionTokenConfig],
        ['auth.profileConfig', a.profileConfig],
      );
      break;
    case 'none':
      break;
  }
  return refs;
}

/** Problems of one resource (as written, or with a variant applied). */
function resourceProblems(spec: ProviderSpec, res: ResourceSpec, where: string): Problem[] {
  const out: Problem[] = [];
  const columns = new Set(res.columns.map((c) => c.name));
  const params = res.parameters;
  const seen = new Set<string>();
  res.columns.forEach((c, i) => {
    if (seen.has(c.name.toLowerCase())) out.push({ path: `${where}.columns.${i}.name`, message: `column '${c.name}' is declared twice` });
    seen.add(c.name.toLowerCase());
  });
  res.key.forEach((k, i) => {
    if (!columns.has(k)) out.push({ path: `${where}.key.${i}`, message: `names unknown column '${k}'` });
  });
  res.alternatives.forEach((alt, i) =>
    alt.whenBound.forEach((p, j) => {
      if (!params[p]) out.push({ path: `${where}.alternatives.${i}.whenBound.${j}`, message: `names unknown parameter '${p}'` });
    }),
  );
  if (res.windowSplit) {
    for (const field of ['startParam', 'endParam'] as const) {
      const p = res.windowSplit[field];
      if (!params[p]) out.push({ path: `${where}.windowSplit.${field}`, message: `names unknown parameter '${p}'` });
      else if (params[p].type !== 'datetime')
        out.push({ path: `${where}.windowSplit.${field}`, message: `parameter '${p}' must have type datetime` });
    }
    if (res.key.length === 0) out.push({ path: `${where}.windowSplit`, message: 'needs a key, to recognise a row returned by two sub-windows' });
    const { orderedBy, createdOnly, createdField } = res.windowSplit;
    if (orderedBy && !columns.has(orderedBy)) out.push({ path: `${where}.windowSplit.orderedBy`, message: `names unknown column '${orderedBy}'` });
    if (createdField && !columns.has(createdField))
      out.push({ path: `${where}.windowSplit.createdField`, message: `names unknown column '${createdField}'` });
    if (createdOnly && params[createdOnly]?.type !== 'boolean')
      out.push({ path: `${where}.windowSplit.createdOnly`, message: `must name a boolean parameter, not '${createdOnly}'` });
  }
  res.columns.forEach((c, i) => {
    if (c.epochUnit && c.type !== 'datetime')
      out.push({ path: `${where}.columns.${i}.epochUnit`, message: `applies to datetime columns only, not to '${c.name}' (${c.type})` });
  });
  res.columns.forEach((c, i) => {
    if (!c.lookup) return;
    const at = `${where}.columns.${i}.lookup`;
    if (!columns.has(c.lookup.key)) out.push({ path: `${at}.key`, message: `names unknown column '${c.lookup.key}'` });
    const [prov, svc, r, ...rest] = c.lookup.resource.split('.');
    if (!prov || !svc || !r || rest.length) out.push({ path: `${at}.resource`, message: `'${c.lookup.resource}' is not provider.service.resource` });
    else if (prov === spec.name) {
      const listed = spec.services[svc]?.resources[r];
      if (!listed) out.push({ path: `${at}.resource`, message: `names unknown resource '${c.lookup.resource}'` });
      else
        for (const field of ['match', 'column'] as const) {
          if (!listed.columns.some((x) => x.name === c.lookup![field]))
            out.push({ path: `${at}.${field}`, message: `'${c.lookup.resource}' has no column '${c.lookup[field]}'` });
        }
    }
  });
  if (res.sync && res.key.length === 0) out.push({ path: `${where}.sync`, message: 'needs a key (history rows are upserted by key)' });
  if (res.sync?.mode === 'incremental') {
    for (const field of ['startParam', 'endParam'] as const) {
      const p = res.sync[field];
      if (p !== undefined && !params[p]) out.push({ path: `${where}.sync.${field}`, message: `names unknown parameter '${p}'` });
    }
    for (const c of res.sync.highWater) if (!columns.has(c)) out.push({ path: `${where}.sync.highWater`, message: `names unknown column '${c}'` });
  }
  for (const [name, p] of Object.entries(params)) {
    const at = `${where}.parameters.${name}`;
    for (const c of lowerBoundColumns(p)) if (!columns.has(c)) out.push({ path: `${at}.lowerBoundOf`, message: `names unknown column '${c}'` });
    if (p.defaultFromConfig && !spec.config[p.defaultFromConfig])
      out.push({ path: `${at}.defaultFromConfig`, message: `names unknown setting '${p.defaultFromConfig}'` });
    if (p.enumerate === 'enum' && !p.enum) out.push({ path: `${at}.enumerate`, message: 'enumerate: enum needs an enum list' });
    if (p.enumerate && p.enumerate !== 'enum') {
      const e = p.enumerate;
      const [prov, svc, r, ...rest] = e.resource.split('.');
      if (!prov || !svc || !r || rest.length)
        out.push({ path: `${at}.enumerate.resource`, message: `'${e.resource}' is not provider.service.resource` });
      else if (prov === spec.name) {
        const listed = spec.services[svc]?.resources[r];
        if (!listed) out.push({ path: `${at}.enumerate.resource`, message: `names unknown resource '${e.resource}'` });
        else {
          const listedNames = new Set([...listed.columns.map((c) => c.name), ...Object.keys(listed.parameters)]);
          for (const [param, column] of Object.entries(e.columns)) {
            if (!params[param]) out.push({ path: `${at}.enumerate.columns.${param}`, message: `names unknown parameter '${param}'` });
            if (!listedNames.has(column))
              out.push({ path: `${at}.enumerate.columns.${param}`, message: `'${e.resource}' has no column '${column}'` });
          }
        }
      }
    }
    if (p.filter) {
      for (const column of Object.keys(p.filter.columns)) {
        if (!columns.has(column)) out.push({ path: `${at}.filter.columns.${column}`, message: `names unknown column '${column}'` });
      }
      for (const [column, forms] of Object.entries(p.filter.columns)) {
        for (const [op, t] of Object.entries(forms)) {
          if (t !== undefined && (typeof t === 'string') !== (p.filter.format === 'expression')) {
            out.push({
              path: `${at}.filter.columns.${column}.${op}`,
              message: `a ${p.filter.format} filter needs ${p.filter.format === 'expression' ? 'a text template' : 'a {key, value} template'}`,
            });
          }
        }
      }
    }
  }
  return out;
}

/** Throws INVALID_MANIFEST listing the first problems of a schema-valid manifest. */
export function checkManifest(spec: ProviderSpec, file: string, merge: (base: ResourceSpec, set: Record<string, unknown>) => unknown): void {
  const problems: Problem[] = [];
  for (const [path, key] of settingRefs(spec)) {
    if (key !== undefined && !spec.config[key]) problems.push({ path, message: `names unknown setting '${key}'` });
  }
  for (const [sname, service] of Object.entries(spec.services)) {
    for (const [rname, res] of Object.entries(service.resources)) {
      const where = `services.${sname}.resources.${rname}`;
      problems.push(...resourceProblems(spec, res, where));
      res.variants.forEach((v, i) => {
        const at = `${where}.variants.${i}`;
        for (const k of Object.keys(v.when)) if (!spec.config[k]) problems.push({ path: `${at}.when.${k}`, message: `names unknown setting '${k}'` });
        const merged = schemas().ResourceSpec.safeParse(merge(res, v.set));
        if (!merged.success) {
          problems.push({ path: `${at}.set`, message: `the resource with this variant applied is invalid: ${formatZodIssues(merged.error)}` });
          return;
        }
        problems.push(...resourceProblems(spec, merged.data, `${at}.set`).map((p) => ({ ...p, path: p.path })));
      });
    }
  }
  if (problems.length) throw invalid(file, problems);
}
