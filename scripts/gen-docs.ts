// Generates the provider reference pages (docs/providers/**) from the manifests, in the style of
// stackql's registry pages. Invariant: generateDocs is pure and deterministic — the same catalog
// always yields byte-identical pages (sorted tables, no clock, no paths of this machine).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinProvidersDir, Catalog, type ResourceRef } from '../src/manifest/catalog.js';
import {
  lowerBoundColumns,
  type AuthKind,
  type AuthSpec,
  type PaginationKind,
  type PaginationSpec,
  type ParameterSpec,
  type ProviderSpec,
  type RateLimitSpec,
  type ResourceSpec,
} from '../src/manifest/schema.js';
import { describe } from '../src/engine/metadata.js';
import { tableColumns } from '../src/plan/plan.js';

/** Folder the generated pages live in, relative to the package root; keys of generateDocs are relative to it. */
export const DOCS_DIR = 'docs/providers';

const GENERATED = '<!-- Generated from the provider manifests by scripts/gen-docs.ts. Do not edit: run `npm run docs`. -->';

type MethodSpec = ResourceSpec['methods'][string];
type RequestSpec = ResourceSpec['request'];

/** Every page, keyed by its path relative to DOCS_DIR (`README.md`, `<provider>/<service>/<resource>.md`). */
export function generateDocs(catalog: Catalog): Map<string, string> {
  const pages = new Map<string, string>();
  const providers = [...catalog.providers.values()].map((p) => p.spec).sort((a, b) => byName(a.name, b.name));
  for (const provider of providers) {
    for (const [service, svc] of sortedEntries(provider.services)) {
      for (const [name] of sortedEntries(svc.resources)) {
        const ref = catalog.find(`${provider.name}.${service}.${name}`, () => defaultConfig(provider));
        if (!ref) continue;
        const base = svc.resources[name];
        pages.set(resourcePath(provider.name, service, name), resourcePage(provider, ref, base, catalog));
      }
    }
  }
  pages.set('README.md', indexPage(providers));
  return new Map([...pages.entries()].sort(([a], [b]) => byName(a, b)));
}

export function resourcePath(provider: string, service: string, resource: string): string {
  return `${provider}/${service}/${resource}.md`;
}

// ---------------------------------------------------------------------------------------------
// Markdown helpers

function byName(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedEntries<T>(o: Record<string, T>): [string, T][] {
  return Object.entries(o).sort(([a], [b]) => byName(a, b));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The first sentence of a description, for indexes and titles. */
function firstSentence(s: string): string {
  const text = oneLine(s);
  const m = /^(.+?\.)(?=\s+[A-Z(`])/.exec(text);
  return m ? m[1] : text;
}

/** Manifest prose for Markdown: one line, and `<` outside code spans cannot open an HTML tag. */
function prose(s: string): string {
  return oneLine(s)
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;')))
    .join('`');
}

/** Ends a sentence with a full stop unless it already ends with punctuation. */
function sentence(s: string): string {
  return /[.!?]$/.test(s) || s === '' ? s : `${s}.`;
}

function code(s: string | number | boolean): string {
  const text = String(s);
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function list(items: string[], conj = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}

/** A GitHub Markdown table; `|` inside cells is escaped. */
function table(header: string[], rows: string[][]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

function sqlBlock(sql: string): string {
  return ['```sql', sql.trimEnd(), '```'].join('\n');
}

/** An ISO-8601 duration in words: P30D → 30 days, PT1H30M → 1 hour 30 minutes. */
function durationWords(d: string): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(d);
  if (!m) return d;
  const units = ['day', 'hour', 'minute', 'second'];
  const parts = m.slice(1).flatMap((v, i) => (v === undefined ? [] : [`${v} ${units[i]}${v === '1' ? '' : 's'}`]));
  return parts.join(' ') || d;
}

function defaultConfig(p: ProviderSpec): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(p.config).map(([k, c]) => [k, c.default]));
}

// ---------------------------------------------------------------------------------------------
// Index page

function indexPage(providers: ProviderSpec[]): string {
  const out: string[] = [
    '# sessql providers',
    '',
    GENERATED,
    '',
    'Every table sessql can query, named `provider.service.resource` as in stackql. Each resource page lists its fields, methods, parameters, how sessql calls the API, and `SELECT` examples. The same facts are available in the shell with `SHOW PROVIDERS`, `SHOW RESOURCES IN <provider>.<service>` and `DESCRIBE [EXTENDED] <provider>.<service>.<resource>`.',
    '',
    'Providers are data: each one is a manifest (`providers/<name>/manifest.yaml`). [The manifest format](../providers.md) explains every field, how to add a resource, and how to load your own manifest with `--provider-file`.',
    '',
    table(
      ['Provider', 'Title', 'Services', 'Resources', 'Description'],
      providers.map((p) => [
        `[${code(p.name)}](#${p.name.toLowerCase()})`,
        prose(p.title),
        String(Object.keys(p.services).length),
        String(Object.values(p.services).reduce((n, s) => n + Object.keys(s.resources).length, 0)),
        prose(firstSentence(p.description)),
      ]),
    ),
  ];
  for (const p of providers) out.push('', ...providerSection(p));
  return out.join('\n') + '\n';
}

function providerSection(p: ProviderSpec): string[] {
  const out = [`## ${p.name}`, '', `**${prose(p.title)}.** ${prose(p.description)}`, ''];
  out.push(`- **Authentication:** ${AUTH_TEXT[p.auth.kind](p.auth as never)}`);
  out.push(`- **Rate limits:** ${RATE_LIMIT_TEXT[p.rateLimit.kind](p.rateLimit as never)}`);
  out.push(
    `- **Requests:** at most ${p.concurrency} at once across fan-out calls; each times out after ${p.timeoutSeconds} s and is retried up to ${p.maxRetries} times when the failure is transient.`,
  );
  out.push(`- **Base URL:** the setting ${code(p.baseUrlConfig)}.`);
  out.push('', `### Settings of ${p.name}`, '');
  out.push(
    table(
      ['Setting', 'Environment variable', 'Default', 'Allowed values', 'Required', 'Description'],
      sortedEntries(p.config).map(([k, c]) => [
        code(k),
        c.env ? code(c.env) : '',
        c.default !== undefined ? code(c.default) : '',
        (c.enum ?? []).map(code).join(', '),
        c.required ? 'yes' : 'no',
        sentence(prose(c.description)) + (c.secret ? ' Secret: never printed, and not accepted literally in a config file.' : ''),
      ]),
    ),
  );
  for (const [s, svc] of sortedEntries(p.services)) {
    out.push('', `### ${p.name}.${s}`, '', prose(svc.description), '');
    out.push(
      table(
        ['Resource', 'Id', 'Description'],
        sortedEntries(svc.resources).map(([r, res]) => [
          `[${r}](${resourcePath(p.name, s, r)})`,
          code(`${p.name}.${s}.${r}`),
          prose(firstSentence(res.description)),
        ]),
      ),
    );
  }
  return out;
}

const AUTH_TEXT: { [K in AuthKind]: (a: Extract<AuthSpec, { kind: K }>) => string } = {
  none: () => 'none.',
  'oauth2-client-credentials': (a) =>
    `OAuth2 client credentials: ${code(`POST ${a.tokenPath}`)} with the settings ${code(a.clientIdConfig)} and ${code(a.clientSecretConfig)} (${a.credentialsIn === 'basic' ? 'HTTP Basic' : 'in the query string'}${a.scope ? `, scope ${code(a.scope)}` : ''}); the bearer token is reused until it expires.`,
  bearer: (a) => `a static bearer token from the setting ${code(a.tokenConfig)}.`,
  'azure-credential': (a) =>
    `a bearer token from the setting ${code(a.tokenConfig)} when it is set, otherwise the Azure credential chain (service principal environment variables, workload identity, managed identity, Azure CLI) for the scope ${code(a.scope)}.`,
  login: (a) =>
    `a bearer token${a.tokenConfig ? ` from the setting ${code(a.tokenConfig)} when it is set, otherwise one` : ''} obtained by ${code(`POST ${a.path}`)} with the settings ${list(a.loginConfig.map(code))} and kept for the run.`,
  sigv4: (a) =>
    `AWS Signature Version 4 (service ${code(a.service)}, region ${code(a.region)})${a.accessKeyIdConfig ? ` with the keys from the settings ${code(a.accessKeyIdConfig)}/${code(a.secretAccessKeyConfig ?? '')} when set,` : ''} otherwise the AWS SDK's default credential chain (profiles, SSO, container and instance credentials).`,
};

const RATE_LIMIT_TEXT: { [K in RateLimitSpec['kind']]: (r: Extract<RateLimitSpec, { kind: K }>) => string } = {
  none: () => 'no provider-specific pacing; a 429 is retried with backoff.',
  'x-ratelimit': (r) =>
    `requests are paced by the ${code('X-RateLimit-*')} headers (remaining, replenish rate and time, burst capacity); a 429 before any such header waits ${r.bare429WaitSeconds} s.`,
  'retry-after': () => `a 429 waits the seconds its ${code('Retry-After')} header gives.`,
};

// ---------------------------------------------------------------------------------------------
// Resource page

function resourcePage(provider: ProviderSpec, ref: ResourceRef, base: ResourceSpec, catalog: Catalog): string {
  const spec = ref.spec;
  const description = prose(spec.description);
  const lead = prose(firstSentence(spec.description));
  const out: string[] = [`# ${ref.name}`, '', lead, '', GENERATED, '', '## Overview', ''];
  out.push(
    table(
      ['', ''],
      [
        ['**Name**', code(ref.name)],
        ['**Type**', 'Resource'],
        ['**Id**', code(ref.id)],
        ...(spec.title ? [['**Title**', prose(spec.title)]] : []),
        ['**Provider**', `[${prose(provider.title)}](../../README.md#${provider.name.toLowerCase()})`],
      ],
    ),
  );
  if (description !== lead) out.push('', description);
  out.push('', ...fieldsSection(ref));
  out.push('', ...methodsSection(ref));
  out.push('', ...parametersSection(ref, base, provider));
  out.push('', ...callsSection(ref, base, provider, catalog));
  out.push('', ...selectExamples(spec));
  if (Object.keys(spec.methods).length) out.push('', ...execSection(ref));
  return out.join('\n') + '\n';
}

function fieldsSection(ref: ResourceRef): string[] {
  const spec = ref.spec;
  const cols = tableColumns(ref);
  const rowNames = new Set(spec.columns.map((c) => c.name));
  const rows = cols.map((c): [string, string[]] => {
    if (c.kind === 'row') {
      const both = spec.parameters[c.name] ? ' Also a [parameter](#parameters): a WHERE on it is sent to the API.' : '';
      return [c.name, [code(c.name), code(c.spec.type), prose(c.spec.description) + both]];
    }
    const p = spec.parameters[c.param];
    return [
      c.name,
      [
        code(c.name),
        code(p.type),
        `Parameter column: the value the row was fetched with (see [Parameters](#parameters)). ${prose(p.description)}`.trim(),
      ],
    ];
  });
  rows.sort(([a], [b]) => byName(a, b));
  const out = [
    '## Fields',
    '',
    'The following fields are returned by `SELECT` queries:',
    '',
    table(
      ['Name', 'Datatype', 'Description'],
      rows.map(([, r]) => r),
    ),
  ];

  const paramCols = Object.keys(spec.parameters)
    .filter((p) => !rowNames.has(p) && !spec.parameters[p].filter)
    .sort(byName);
  const notes: string[] = [];
  if (paramCols.length) {
    notes.push(
      `- **Parameter columns.** ${list(paramCols.map(code))} ${paramCols.length > 1 ? 'are request parameters' : 'is a request parameter'} the rows do not carry: ${paramCols.length > 1 ? 'they appear as columns' : 'it appears as a column'} holding the value used for the request (the value the WHERE bound, or the default sent; NULL when neither), so the WHERE clause still holds when SQLite re-applies it, joins can use ${paramCols.length > 1 ? 'them' : 'it'}, and ${code(`SELECT ${paramCols[0]}, …`)} shows ${paramCols.length > 1 ? 'them' : 'it'}.`,
    );
  }
  const aliased = sortedEntries(spec.parameters).filter(([, p]) => p.aliases.length);
  if (aliased.length) {
    notes.push(
      `- **Aliases.** ${list(
        aliased.map(([n, p]) => `${list(p.aliases.map(code), 'or')} for ${code(n)}`),
        'and',
      )} (stackql's snake_case spellings): accepted in the WHERE clause, and as a column holding the same value when a query names ${aliased.length > 1 || aliased[0][1].aliases.length > 1 ? 'them' : 'it'}.`,
    );
  }
  const spelled = spellingsSection(spec);
  if (spelled.length) out.push('', ...spelled);
  const types = new Set(spec.columns.map((c) => c.type));
  const typeNotes: string[] = [];
  if (types.has('datetime')) typeNotes.push('`datetime` values are UTC ISO-8601 text, so comparisons order in time');
  if (types.has('json')) typeNotes.push("`json` values are JSON text, usable with `json_extract(col, '$.x')` and `col->>'$.x'`");
  if (types.has('boolean')) typeNotes.push('`boolean` values are 1 or 0');
  if (typeNotes.length) notes.push(`- **Types.** ${typeNotes.join('; ')}.`);
  const nocase = spec.columns
    .filter((c) => c.caseInsensitive)
    .map((c) => c.name)
    .sort(byName);
  if (nocase.length)
    notes.push(`- **Case.** ${list(nocase.map(code))} compare${nocase.length > 1 ? '' : 's'} case-insensitively (COLLATE NOCASE), as the API does.`);
  if (notes.length) out.push('', ...notes);
  return out;
}

/**
 * Columns that read one API field under several spellings (`from: [a, b, …]`): which columns hold
 * the same value under another name (Terraform's session_id for id), and which response field
 * names fill them.
 */
function spellingsSection(spec: ResourceSpec): string[] {
  const multi = spec.columns.filter((c) => Array.isArray(c.from) && c.from.length > 1);
  if (!multi.length) return [];
  const firstByFields = new Map<string, string>();
  const rows: string[][] = [];
  for (const c of multi) {
    const fields = [c.from ?? c.name].flat();
    const key = JSON.stringify(fields);
    const same = firstByFields.get(key);
    if (same === undefined) firstByFields.set(key, c.name);
    rows.push([code(c.name), same === undefined ? '' : code(same), list(fields.map(code), 'or')]);
  }
  return [
    '### Field names',
    '',
    'Clients of this API disagree on field names (the official documentation, the Go client and the Terraform data source each use their own). The columns below read whichever spelling a response carries — the first one present — so a response in any of these shapes fills the same columns, and a column named in the second column holds exactly the same value.',
    '',
    table(['Column', 'Same value as', 'API field (first present)'], rows),
  ];
}

/** Requirement, default and allowed values exactly as DESCRIBE words them. */
function describeRows(ref: ResourceRef): Map<string, { required: string; default: string; allowed: string }> {
  const rs = describe(ref, false);
  const idx = (name: string) => rs.columns.indexOf(name);
  const out = new Map<string, { required: string; default: string; allowed: string }>();
  for (const row of rs.rows) {
    const name = String(row[idx('name')]);
    if (!ref.spec.parameters[name]) continue;
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    out.set(name, { required: text(row[idx('required')]), default: text(row[idx('default')]), allowed: text(row[idx('allowed_values')]) });
  }
  return out;
}

/** Parameter names; names sharing a note are listed together before it. */
function paramList(names: string[], note: (n: string) => string = () => ''): string {
  const groups = new Map<string, string[]>();
  for (const n of names) groups.set(note(n), [...(groups.get(note(n)) ?? []), n]);
  return [...groups.entries()].map(([text, ns]) => `${ns.map(code).join(', ')}${text}`).join(', ');
}

function methodsSection(ref: ResourceRef): string[] {
  const spec = ref.spec;
  const req = describeRows(ref);
  const names = Object.keys(spec.parameters).sort(byName);
  const required = names.filter((n) => req.get(n)?.required === 'required');
  const optional = names.filter((n) => req.get(n)?.required !== 'required');
  const optionalNote = (n: string) => {
    const r = req.get(n)?.required ?? 'optional';
    return r === 'optional' ? '' : ` ${r.replace(/^optional /, '')}`;
  };
  const rows: string[][] = [
    [code('select'), code('SELECT'), paramList(required), paramList(optional, optionalNote), prose(firstSentence(spec.description))],
  ];
  for (const [m, method] of sortedEntries(spec.methods)) {
    const mreq = Object.keys(method.parameters)
      .filter((n) => method.parameters[n].required)
      .sort(byName);
    const mopt = Object.keys(method.parameters)
      .filter((n) => !method.parameters[n].required)
      .sort(byName);
    const write = method.write ? ' (a write: refused unless `--allow-writes` is given)' : ' (read-only)';
    rows.push([
      `[${code(m)}](#exec-${m.toLowerCase()})`,
      `${code('EXEC')}${write}`,
      paramList(mreq),
      paramList(mopt),
      prose(firstSentence(method.description)),
    ]);
  }
  return [
    '## Methods',
    '',
    'The following methods are available for this resource:',
    '',
    table(['Name', 'Accessible by', 'Required Params', 'Optional Params', 'Description'], rows),
    ...(names.some((n) => spec.parameters[n].required && spec.parameters[n].enumerate)
      ? [
          '',
          'An optional parameter marked "unbound: …" is required by the API: when the query leaves it unbound, sessql fills it in by enumeration (see [How sessql calls the API](#how-sessql-calls-the-api)).',
        ]
      : []),
  ];
}

function whereText(p: ParameterSpec): string {
  return p.wireName && p.wireName !== '' ? `${p.in} (as ${code(p.wireName)})` : p.in;
}

function allowedValues(p: ParameterSpec): string {
  if (!p.enum) return '';
  return p.enum.map((v) => (p.wireValues?.[v] !== undefined ? `${code(v)} (sent as ${code(p.wireValues[v])})` : code(v))).join(', ');
}

function parametersSection(ref: ResourceRef, base: ResourceSpec, provider: ProviderSpec): string[] {
  const spec = ref.spec;
  const req = describeRows(ref);
  const rows = sortedEntries(spec.parameters).map(([name, p]) => {
    const d = req.get(name);
    let def = d?.default ? code(d.default) : '';
    if (p.defaultFromConfig) {
      const env = provider.config[p.defaultFromConfig]?.env;
      def = `the setting ${code(p.defaultFromConfig)}${env ? ` (${code(env)})` : ''}, when set`;
    }
    return [
      code(name),
      code(p.type),
      whereText(p),
      d?.required ?? (p.required ? 'required' : 'optional'),
      allowedValues(p),
      def,
      p.aliases.map(code).join(', '),
      parameterDescription(name, p, base),
    ];
  });
  if (!rows.length)
    return ['## Parameters', '', 'This resource takes no parameters: a `SELECT` lists every row and SQLite applies the `WHERE` clause.'];
  return [
    '## Parameters',
    '',
    "Parameters are bound in the `WHERE` clause of a query: `name = 'value'` sends the value to the API, and `name IN ('a', 'b')` makes one call per value. Check the [Methods](#methods) section to see which parameters are required. SQLite re-applies the whole `WHERE` clause to the rows, so pushing a parameter changes only how much is fetched, never the result.",
    '',
    table(['Name', 'Datatype', 'In', 'Required', 'Allowed values', 'Default', 'Aliases', 'Description'], rows),
  ];
}

function parameterDescription(name: string, p: ParameterSpec, base: ResourceSpec): string {
  const parts = [prose(p.description)];
  if (p.maxAge)
    parts.push(
      `History window: ${durationWords(p.maxAge)} (${code(p.maxAge)}).${p.maxAgeNote ? ` ${prose(p.maxAgeNote)}` : ''} sessql rejects an older value before any request.`,
    );
  else if (p.maxAgeNote) parts.push(prose(p.maxAgeNote));
  for (const c of lowerBoundColumns(p)) {
    parts.push(
      `Pushdown: ${code(`${c} >= X`)}, ${code(`${c} > X`)}, ${code(`${c} = X`)} or ${code(`${c} BETWEEN X AND Y`)} in the WHERE clause binds ${code(name)} to X (kept inside the history window), since the API returns every row whose ${code(c)} is at or after ${code(name)}; SQLite re-applies the comparison.`,
    );
  }
  if (p.enumerate === 'enum' && p.enum) parts.push(`Unbound, sessql makes one call per allowed value.`);
  else if (p.enumerate && p.enumerate !== 'enum') parts.push(`Unbound, sessql lists ${code(p.enumerate.resource)} and makes one call per row.`);
  if (p.caseInsensitive) parts.push('Compared case-insensitively.');
  if (p.in === 'body') parts.push('Sent in the JSON request body.');
  for (const v of base.variants) {
    const set = (v.set.parameters as Record<string, Record<string, unknown>> | undefined)?.[name];
    if (!set) continue;
    const changes = Object.entries(set).map(([k, val]) =>
      k === 'maxAge'
        ? `history window ${durationWords(String(val))} (${code(String(val))})`
        : k === 'maxAgeNote'
          ? prose(String(val))
          : `${k} ${code(JSON.stringify(val))}`,
    );
    parts.push(`With ${whenText(v.when)}: ${changes.map(sentence).join(' ')}`);
  }
  return parts.filter(Boolean).join(' ');
}

function whenText(when: Record<string, string>): string {
  return list(sortedEntries(when).map(([k, v]) => `the setting ${code(k)} = ${code(v)}`));
}

const PAGINATION_TEXT: { [K in PaginationKind]: (p: Extract<PaginationSpec, { kind: K }>) => string } = {
  none: () => 'none: one response holds every row.',
  cursor: (p) =>
    `cursor: the ${code(p.field)} field of each response is sent back as the ${code(p.param)} query parameter; an absent or empty ${code(p.field)} ends the listing.`,
  page: (p) =>
    `page/size: the query parameters ${code(p.pageParam)} (from ${p.firstPage}) and ${code(p.sizeParam)} (${p.size}); the listing ends after the number of pages in ${code(p.totalPagesField)} (or, without it, at a short or empty page).`,
  nextLink: (p) =>
    `nextLink: the ${code(p.field)} URL of each response is fetched with GET (it must stay on the base URL's origin) until it is absent.`,
  token: (p) =>
    `token: the ${code(p.field)} field of each response is sent back as ${code(p.param)} (${p.in === 'body' ? 'in the JSON body' : p.in === 'header' ? 'a request header' : 'a query parameter'}) with the same request; an absent or empty ${code(p.field)} ends the listing (short or empty pages do not).`,
  listToken: (p) =>
    `list token: the same request is repeated with ${code(p.param)} = the ${code(p.field)} of the previous page until ${code(p.doneField)} is ${code(p.doneValue)}.`,
};

const LONG_RUNNING_TEXT: Record<NonNullable<ResourceSpec['longRunning']>, string> = {
  'azure-async':
    'yes (Azure asynchronous operation): a `202 Accepted` is polled — `Azure-AsyncOperation` until it succeeds, fails or is cancelled, else `Location` while it answers 202 — honouring `Retry-After`; the final `200` is the first page.',
};

/** `METHOD /path?static=query`, with config placeholders as written. */
function requestLine(r: RequestSpec): string {
  const query = Object.entries(r.query).map(([k, v]) => `${k}=${v}`);
  return code(`${r.method} ${r.path}${query.length ? `?${query.join('&')}` : ''}`);
}

/** Placeholders of a request that are provider settings rather than parameters. */
function configPlaceholders(r: RequestSpec, params: Record<string, ParameterSpec>, provider: ProviderSpec): string[] {
  const wireNames = new Set(Object.entries(params).map(([n, p]) => p.wireName ?? n));
  const text = [r.path, ...Object.values(r.query).map(String)].join(' ');
  const names = [...new Set([...text.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]))].filter((n) => !wireNames.has(n) && provider.config[n]);
  return names.sort(byName).map((n) => {
    const c = provider.config[n];
    const bits = [c.default !== undefined ? `default ${code(c.default)}` : '', c.env ? `environment variable ${code(c.env)}` : ''].filter(Boolean);
    return `${code(`{${n}}`)} is the setting ${code(n)}${bits.length ? ` (${bits.join(', ')})` : ''}`;
  });
}

function callsSection(ref: ResourceRef, base: ResourceSpec, provider: ProviderSpec, catalog: Catalog): string[] {
  const spec = ref.spec;
  const out = ['## How sessql calls the API', ''];
  const settings = configPlaceholders(spec.request, spec.parameters, provider);
  const ins = new Set(Object.values(spec.parameters).map((p) => p.in));
  const how = [
    ins.has('path') ? 'path parameters fill the `{name}` placeholders' : '',
    ins.has('query') ? 'query parameters are added to the query string' : '',
    ins.has('body') ? 'body parameters go in the JSON body' : '',
  ].filter(Boolean);
  const howText = how.length ? ` ${how.join('; ').replace(/^./, (c) => c.toUpperCase())}.` : '';
  out.push(`- **Request:** ${requestLine(spec.request)}${settings.length ? `; ${settings.join('; ')}` : ''}.${howText}`);
  for (const alt of spec.alternatives) {
    out.push(`- **When ${list(alt.whenBound.map(code))} ${alt.whenBound.length > 1 ? 'are' : 'is'} bound:** ${requestLine(alt.request)} instead.`);
  }
  if (Object.keys(spec.request.headers).length)
    out.push(`- **Headers:** ${list(sortedEntries(spec.request.headers).map(([k, v]) => code(`${k}: ${v}`)))}.`);
  if (spec.request.body) out.push(`- **Body:** ${code(JSON.stringify(spec.request.body))}.`);
  for (const [name, p] of sortedEntries(spec.parameters)) {
    if (!p.filter) continue;
    const forms = sortedEntries(p.filter.columns).flatMap(([col, f]) =>
      (['eq', 'ge', 'lt'] as const)
        .filter((op) => f[op] !== undefined)
        .map(
          (op) =>
            `${code(`${col} ${op === 'eq' ? '= / IN' : op === 'ge' ? '>= / >' : '< / <='}`)} → ${code(typeof f[op] === 'string' ? (f[op] as string) : JSON.stringify(f[op]))}`,
        ),
    );
    out.push(
      `- **Filter ${code(name)}:** built from the WHERE clause (${p.filter.format === 'list' ? 'a list of items; IN lists stay in SQLite' : `joined with ${code(p.filter.join.trim())}`}): ${forms.join('; ')}. Anything else is filtered by SQLite.`,
    );
  }
  const rowsField = spec.rows.replace(/\?$/, '');
  const omitted = spec.rows.endsWith('?') ? ' (left out of an empty page)' : '';
  out.push(
    `- **Rows:** ${spec.rows === '$' ? 'the response body is the array of rows' : `the ${code(rowsField)} field of each response${omitted}`}.`,
  );
  out.push(`- **Pagination:** ${PAGINATION_TEXT[spec.pagination.kind](spec.pagination as never)}`);
  out.push(`- **Long-running:** ${spec.longRunning ? LONG_RUNNING_TEXT[spec.longRunning] : 'no.'}`);
  const ws = spec.windowSplit;
  out.push(
    `- **Window split:** ${
      ws
        ? `the API filters on the window [${code(ws.startParam)}, ${code(ws.endParam)}); a window of at least ${ws.minHours} hours (the end defaults to now) is split into equal sub-windows fetched concurrently (as many as the provider's concurrency, ${provider.concurrency}; a \`LIMIT\` fetch is not split)${spec.key.length ? `, and a row returned by two sub-windows is one row (same ${list(spec.key.map(code))})` : ''}.` +
          (ws.orderedBy
            ? ` Pages come in ${code(ws.orderedBy)} order, so at run time the first page of the whole window (the probe) tells where the data starts and the sub-windows cover only the rest, and the rest of a sub-window that falls behind is split again when a slot frees${ws.createdOnly ? `; sub-windows send ${code(ws.createdOnly)}=true, and the probe's own chain fetches the rows created before the window` : ''}.`
            : '')
        : 'no.'
    }`,
  );
  const unbound = unboundText(ref, provider, catalog);
  out.push(
    `- **Unbound parameters:**${unbound.length ? '' : ' none: the resource takes no parameters.'}`,
    ...unbound.map((u) => `  - ${sentence(u)}`),
  );
  const names = Object.keys(spec.parameters).sort(byName);
  if (names.length)
    out.push(
      `- **\`IN\` lists:** \`param IN (a, b, …)\` on a parameter makes one call per value, at most ${provider.concurrency} at once; each row carries the value it was fetched with.`,
    );
  out.push(
    `- **Row identity:** ${spec.key.length ? `rows with the same ${list(spec.key.map(code))} and the same parameter values are one row.` : 'every row returned is kept.'}`,
  );
  for (const v of base.variants) {
    const { parameters, ...rest } = v.set as { parameters?: Record<string, unknown> } & Record<string, unknown>;
    const changes = flatten(rest).map(([k, val]) => `${code(k)} = ${code(typeof val === 'string' ? val : JSON.stringify(val))}`);
    const params = Object.keys(parameters ?? {}).sort(byName);
    if (params.length) changes.push(`${list(params.map(code))} as described under [Parameters](#parameters)`);
    out.push(`- **Variant — with ${whenText(v.when)}:** ${changes.join(', ')}.`);
  }
  return out;
}

function unboundText(ref: ResourceRef, provider: ProviderSpec, catalog: Catalog): string[] {
  const req = describeRows(ref);
  const parts: string[] = [];
  /** Enumerated parameters, grouped by how they are enumerated (filled together). */
  const groups = new Map<string, { names: string[]; spec: ParameterSpec }>();
  for (const [name, p] of sortedEntries(ref.spec.parameters)) {
    if (p.defaultFromConfig) {
      const env = provider.config[p.defaultFromConfig]?.env;
      const otherwise = p.required && p.enumerate ? ', otherwise it is enumerated as below' : p.required ? ', otherwise the query fails' : '';
      parts.push(`${code(name)} takes the setting ${code(p.defaultFromConfig)}${env ? ` (${code(env)})` : ''} when set${otherwise}`);
    } else if (p.default !== undefined) {
      parts.push(`${code(name)} is sent as ${code(req.get(name)?.default || String(p.default))}`);
    } else if (p.required && !p.enumerate) {
      parts.push(`${code(name)} must be bound — the query fails before any request, naming the WHERE clause to add`);
    }
    if (p.required && p.enumerate) {
      const key = JSON.stringify(p.enumerate);
      const g = groups.get(key) ?? { names: [], spec: p };
      g.names.push(name);
      groups.set(key, g);
    }
  }
  for (const { names, spec } of groups.values()) {
    parts.push(`${list(names.map(code))} left unbound: ${enumerateText(spec, catalog)}`);
  }
  const optional = Object.entries(ref.spec.parameters)
    .filter(([, p]) => !p.required && p.default === undefined && !p.defaultFromConfig)
    .map(([n]) => n)
    .sort(byName);
  if (optional.length) parts.push(`${list(optional.map(code))} ${optional.length > 1 ? 'are' : 'is'} not sent`);
  return parts;
}

function enumerateText(p: ParameterSpec, catalog: Catalog): string {
  if (!p.enumerate) return '';
  if (p.enumerate === 'enum') return `one call per allowed value (${(p.enum ?? []).map(code).join(', ')})`;
  const target = p.enumerate.resource;
  const [tp, ts, tr] = target.split('.');
  const link = catalog.find(target) ? `[${code(target)}](../../${resourcePath(tp, ts, tr)})` : code(target);
  const cols = sortedEntries(p.enumerate.columns).map(([param, col]) => (param === col ? code(param) : `${code(param)} ← ${code(col)}`));
  return `sessql lists ${link} first (narrowed by what the query binds) and makes one call per listed row, taking ${list(cols)} from it; a bound value keeps only the listed rows that agree`;
}

/** Dotted leaves of a variant's `set`, in key order. */
function flatten(o: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of sortedEntries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...flatten(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out;
}

function selectExamples(spec: ResourceSpec): string[] {
  const out = ['## `SELECT` examples', ''];
  if (!spec.examples.length) return [...out, '_No examples in the manifest._'];
  out.push('Values written `{{ name }}` are template variables: pass them with `--var name=value` (or `--vars-file`).');
  for (const ex of spec.examples) out.push('', `### ${prose(ex.title)}`, '', sqlBlock(ex.sql));
  return out;
}

/** The EXEC statement of a method, with a template variable per parameter (manifest order). */
export function execExample(resourceId: string, method: string, m: MethodSpec): string {
  const args = Object.entries(m.parameters)
    .filter(([, p]) => p.required)
    .map(([n]) => `@${n} = '{{ ${n} }}'`);
  const head = m.write ? ['-- a write: run with --allow-writes'] : [];
  return [...head, `EXEC ${resourceId}.${method}${args.length ? `\n  ${args.join(',\n  ')}` : ''};`].join('\n');
}

function execSection(ref: ResourceRef): string[] {
  const out = ['## `EXEC` methods'];
  for (const [name, m] of sortedEntries(ref.spec.methods)) {
    out.push('', `### EXEC ${name}`, '', prose(m.description), '');
    out.push(`- **Accessible by:** \`EXEC ${ref.id}.${name} @param = 'value', …\``);
    out.push(`- **Write:** ${m.write ? 'yes — refused unless `--allow-writes` is given' : 'no'}.`);
    out.push(
      `- **Request:** ${requestLine(m.request)}; rows from ${m.rows === '$' ? 'the response body' : `the ${code(m.rows)} field`}; pagination ${PAGINATION_TEXT[m.pagination.kind](m.pagination as never)}`,
    );
    out.push('', '#### Parameters', '');
    out.push(
      table(
        ['Name', 'Datatype', 'In', 'Required', 'Aliases', 'Description'],
        sortedEntries(m.parameters).map(([n, p]) => [
          code(n),
          code(p.type),
          whereText(p),
          p.required ? 'required' : 'optional',
          p.aliases.map(code).join(', '),
          [
            prose(p.description),
            p.defaultFromConfig ? `Defaults to the setting ${code(p.defaultFromConfig)} when set.` : '',
            p.in === 'body' ? 'Sent in the JSON request body.' : '',
          ]
            .filter(Boolean)
            .join(' '),
        ]),
      ),
    );
    out.push('', '#### Returns', '');
    out.push(
      table(
        ['Name', 'Datatype', 'Description'],
        [...m.columns].sort((a, b) => byName(a.name, b.name)).map((c) => [code(c.name), code(c.type), prose(c.description)]),
      ),
    );
    out.push('', '#### Example', '', sqlBlock(execExample(ref.id, name, m)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// main: `npm run docs` (node dist/scripts/gen-docs.js [--out <dir>] [--provider-file <manifest>…])

/** The package root: the parent of the built-in providers folder. */
export function packageRoot(): string {
  return dirname(builtinProvidersDir());
}

/** Markdown files under `dir`, relative to it, sorted. */
export function listMarkdown(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('');
  return out.sort(byName);
}

function main(argv: string[]): void {
  let outDir = join(packageRoot(), DOCS_DIR);
  const manifests: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') outDir = resolve(argv[++i] ?? '');
    else if (argv[i] === '--provider-file') manifests.push(argv[++i] ?? '');
    else throw new Error(`usage: gen-docs [--out <dir>] [--provider-file <manifest>]… (unknown argument '${argv[i]}')`);
  }
  const pages = generateDocs(Catalog.load(manifests));
  // pages no manifest produces any more (a removed resource) are deleted, so the tree stays exact
  for (const rel of listMarkdown(outDir)) if (!pages.has(rel)) rmSync(join(outDir, rel));
  for (const [rel, text] of pages) {
    const file = join(outDir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  process.stderr.write(`wrote ${pages.size} pages under ${relative(process.cwd(), outDir) || '.'}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`gen-docs: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
