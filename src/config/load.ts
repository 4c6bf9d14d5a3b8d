// Finding, reading and validating the config file: --config, else ./sessql.config.yaml, else
// $XDG_CONFIG_HOME/sessql/config.yaml. Invariant: every problem is INVALID_CONFIG naming the file
// and the key, and no message repeats a value from the file (a misplaced value may be a secret).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseYaml } from '../yaml.js';
import type { z } from 'zod';
import { SessqlError } from '../errors.js';
import { Catalog } from '../manifest/catalog.js';
import type { ProviderSpec } from '../manifest/schema.js';
import { closest } from '../sql/suggest.js';
import { configSchema, limitKeys, normalise, providerKeys, topLevelKeys, type ConfigFile } from './schema.js';

export const CONFIG_FILE_NAME = 'sessql.config.yaml';

type Env = Record<string, string | undefined>;

/** The user's config folder for sessql: $XDG_CONFIG_HOME/sessql, else ~/.config/sessql (%APPDATA%\sessql on Windows). */
export function userConfigDir(env: Env = process.env): string {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'sessql');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'sessql');
  return join(env.HOME || homedir(), '.config', 'sessql');
}

/** The config file to read: the given path (which must exist), else the first that exists. */
export function findConfigFile(path: string | undefined, cwd: string = process.cwd(), env: Env = process.env): string | undefined {
  if (path !== undefined) {
    const file = resolve(cwd, path);
    if (!existsSync(file)) throw new SessqlError('INVALID_CONFIG', `config file ${file} does not exist`, { hint: 'check the --config path' });
    return file;
  }
  return [join(cwd, CONFIG_FILE_NAME), join(userConfigDir(env), 'config.yaml')].find((f) => existsSync(f));
}

/**
 * Reads and validates the config file (see findConfigFile); undefined when there is none.
 * `manifests` are extra provider manifests (--provider-file), whose providers may be configured too.
 */
export function loadConfigFile(path?: string, cwd: string = process.cwd(), env: Env = process.env, manifests: string[] = []): ConfigFile | undefined {
  const file = findConfigFile(path, cwd, env);
  if (!file) return undefined;
  const text = readConfigText(file);
  const listed = listedManifests(text, file);
  const specs = [...Catalog.load([...listed, ...manifests]).providers.values()].map((p) => p.spec);
  return parseConfig(text, file, specs);
}

/**
 * `providers:` as a list: its text items are manifest files (relative to the config file), its
 * mapping items provider settings as in the mapping form.
 */
function splitProvidersList(raw: Record<string, unknown>, file: string): { raw: Record<string, unknown>; manifests: string[] } {
  if (!Array.isArray(raw.providers)) return { raw, manifests: [] };
  const manifests: string[] = [];
  const settings: Record<string, unknown> = {};
  raw.providers.forEach((item, i) => {
    if (typeof item === 'string') manifests.push(resolve(dirname(file), item));
    else if (item && typeof item === 'object' && !Array.isArray(item)) Object.assign(settings, item);
    else
      throw new SessqlError('INVALID_CONFIG', `config file ${file}: providers.${i} must be a manifest file path or a mapping of provider settings`);
  });
  return { raw: { ...raw, providers: settings }, manifests };
}

function listedManifests(text: string, file: string): string[] {
  try {
    const raw = parseYaml(text);
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? splitProvidersList(raw as Record<string, unknown>, file).manifests : [];
  } catch {
    return []; // parseConfig reports the YAML error
  }
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new SessqlError('INVALID_CONFIG', `cannot read config file ${file}: ${(e as Error).message}`);
  }
}

/** Validates config text (YAML) against the providers' manifests. */
export function parseConfig(text: string, file: string, specs: ProviderSpec[]): ConfigFile {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    // only the first line: the yaml library appends the offending source line, which may hold a secret
    const first = (e as Error).message.split('\n')[0];
    throw new SessqlError('INVALID_CONFIG', `config file ${file} is not valid YAML: ${first}`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SessqlError('INVALID_CONFIG', `config file ${file} must be a YAML mapping with keys ${topLevelKeys.join(', ')}`);
  }
  const split = splitProvidersList(raw as Record<string, unknown>, file);
  raw = split.raw;
  refuseSecrets(raw as Record<string, unknown>, file, specs);
  const parsed = configSchema(specs).safeParse(raw);
  if (!parsed.success) throw issuesError(parsed.error, file, specs);
  refuseBoth(parsed.data.providers ?? {}, file);
  const cfg = normalise(file, parsed.data, specs);
  return split.manifests.length ? { ...cfg, manifests: split.manifests } : cfg;
}

/** A literal value for a secret key is refused, before anything else, naming only the key. */
function refuseSecrets(raw: Record<string, unknown>, file: string, specs: ProviderSpec[]): void {
  const providers = raw.providers;
  if (!providers || typeof providers !== 'object') return;
  for (const spec of specs) {
    const section = (providers as Record<string, unknown>)[spec.name];
    if (!section || typeof section !== 'object') continue;
    for (const [key, c] of Object.entries(spec.config)) {
      if (!c.secret || !(key in section)) continue;
      throw new SessqlError(
        'INVALID_CONFIG',
        `config file ${file}: providers.${spec.name}.${key} is a secret and cannot be written in a config file`,
        {
          hint: `remove it and name the environment variable that holds it: ${key}Env: MY_VARIABLE${c.env ? ` (or set ${c.env})` : ''}`,
        },
      );
    }
  }
}

/** A key set both literally and by variable is ambiguous. */
function refuseBoth(providers: Record<string, unknown>, file: string): void {
  for (const [name, section] of Object.entries(providers)) {
    if (!section || typeof section !== 'object') continue;
    for (const key of Object.keys(section)) {
      if (key in section && `${key}Env` in section) {
        throw new SessqlError('INVALID_CONFIG', `config file ${file}: providers.${name} sets both ${key} and ${key}Env`, {
          hint: 'keep one of them',
        });
      }
    }
  }
}

/** The keys allowed at a path of the file, for "unknown key" hints. */
function allowedAt(path: PropertyKey[], specs: ProviderSpec[]): string[] {
  if (path.length === 0) return topLevelKeys;
  if (path[0] === 'providers' && path.length === 1) return specs.map((s) => s.name);
  if (path[0] === 'providers' && path.length === 2) {
    const spec = specs.find((s) => s.name === path[1]);
    return spec ? providerKeys(spec) : [];
  }
  if (path[0] === 'cache') return ['ttlSeconds'];
  if (path[0] === 'fetch') return ['concurrency', 'timeoutSeconds'];
  if (path[0] === 'limits') return limitKeys;
  return [];
}

type Issue = z.core.$ZodIssue;

/**
 * The issue to report: an unknown key first (the likeliest mistake is a typo), else the one
 * deepest in the value. A union (`cache: false | {ttlSeconds}`) contributes the issues of its
 * branches, so the message names the inner key rather than "invalid input" for the whole union.
 */
function pick(issues: Issue[], prefix: PropertyKey[] = []): Issue | undefined {
  const flat = issues.flatMap((i): Issue[] => {
    const path = [...prefix, ...i.path];
    if (i.code !== 'invalid_union') return [{ ...i, path } as Issue];
    const inner = i.errors.map((b) => pick(b, path)).filter((x): x is Issue => x !== undefined);
    return inner.length ? inner : [{ ...i, path } as Issue];
  });
  const score = (i: Issue) => (i.code === 'unrecognized_keys' ? 1000 : 0) + i.path.length;
  return flat.sort((a, b) => score(b) - score(a))[0];
}

function issuesError(error: z.ZodError, file: string, specs: ProviderSpec[]): SessqlError {
  const issue = pick(error.issues) ?? error.issues[0];
  const where = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const full = [...issue.path.map(String), key].join('.');
    const allowed = allowedAt(issue.path, specs);
    const near = closest(key, allowed);
    const what = issue.path.length === 1 && issue.path[0] === 'providers' ? 'unknown provider' : 'unknown key';
    return new SessqlError('INVALID_CONFIG', `config file ${file}: ${what} '${full}'`, {
      hint: `${near ? `did you mean ${near}? ` : ''}allowed${where ? ` in ${where}` : ' at the top level'}: ${allowed.join(', ')}`,
    });
  }
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new SessqlError('INVALID_CONFIG', `config file ${file}: ${where || '(top level)'}: ${issue.message}${more}`, {
    hint: 'see docs/ci-and-reports.md#configuration for the keys and their types',
  });
}
