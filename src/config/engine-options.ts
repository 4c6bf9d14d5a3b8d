// From a validated config file to engine options: literal values and the values of the named
// environment variables become provider config; cache and timeouts become engine settings.
// Invariant: explicit options (command line, --demo) always win over the file.
import type { EngineOptions } from '../engine/engine.js';
import type { ProviderConfig } from '../engine/config.js';
import { loadConfigFile } from './load.js';
import type { ConfigFile } from './schema.js';
import { SessqlError } from '../errors.js';
import { parseDuration, parseSize } from './size.js';

type Env = Record<string, string | undefined>;

export interface FetchSettings {
  concurrency?: number;
  timeoutMs?: number;
  lroTimeoutMs?: number;
  maxResponseBytes?: number;
}

/** The part of EngineOptions a config file sets, plus per-provider fetch settings. */
export interface ConfigEngineOptions {
  config: Record<string, ProviderConfig>;
  /** Provider manifest files the config file lists. */
  manifests?: string[];
  cache?: { ttlSeconds: number } | false;
  fetch?: FetchSettings;
  /**
   * Per-provider concurrency and timeout. Needs the engine to merge them over `fetch` for that
   * provider's client (EngineOptions.providerFetch); until then they are not applied.
   */
  providerFetch?: Record<string, FetchSettings>;
  /** limits.timeout: the statement deadline. */
  statementTimeoutMs?: number;
}

function fetchSettings(s: { concurrency?: number; timeoutSeconds?: number } | undefined): FetchSettings | undefined {
  if (!s) return undefined;
  const out: FetchSettings = {};
  if (s.concurrency !== undefined) out.concurrency = s.concurrency;
  if (s.timeoutSeconds !== undefined) out.timeoutMs = Math.round(s.timeoutSeconds * 1000);
  return Object.keys(out).length ? out : undefined;
}

/**
 * Provider config from the file: a literal value, or the value of the variable named by
 * `<key>Env`. A named variable that is unset or empty leaves the key unset, so the engine falls
 * back to the manifest's own variable (e.g. CLOUDCONNEXA_CLIENT_SECRET) and then its default.
 */
export function configToEngineOptions(cfg: ConfigFile, env: Env = process.env): ConfigEngineOptions {
  const config: Record<string, ProviderConfig> = {};
  const providerFetch: Record<string, FetchSettings> = {};
  for (const [name, p] of Object.entries(cfg.providers)) {
    const values: ProviderConfig = { ...p.values };
    for (const [key, variable] of Object.entries(p.envNames)) {
      const v = env[variable];
      if (v !== undefined && v !== '') values[key] = v;
    }
    config[name] = values;
    const f = fetchSettings(p);
    if (f) providerFetch[name] = f;
  }
  const out: ConfigEngineOptions = { config };
  if (cfg.manifests?.length) out.manifests = cfg.manifests;
  if (cfg.cache === false || cfg.cache?.ttlSeconds === 0) out.cache = false;
  else if (cfg.cache?.ttlSeconds !== undefined) out.cache = { ttlSeconds: cfg.cache.ttlSeconds };
  const f = { ...fetchSettings(cfg.fetch), ...limitFetchSettings(cfg, out) };
  if (Object.keys(f).length) out.fetch = f;
  if (Object.keys(providerFetch).length) out.providerFetch = providerFetch;
  return out;
}

/** limits: durations and sizes as written in the file, checked with the file's name in the message. */
function limitFetchSettings(cfg: ConfigFile, out: ConfigEngineOptions): FetchSettings {
  const l = cfg.limits;
  const f: FetchSettings = {};
  if (!l) return f;
  const at = (key: string) => `config file ${cfg.path}: limits.${key}`;
  const checked = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw new SessqlError('INVALID_CONFIG', (e as Error).message, { hint: (e as SessqlError).hint });
    }
  };
  if (l.timeout !== undefined) out.statementTimeoutMs = checked(() => parseDuration(l.timeout!, at('timeout')));
  if (l.lroTimeout !== undefined) f.lroTimeoutMs = checked(() => parseDuration(l.lroTimeout!, at('lroTimeout')));
  if (l.maxResponseSize !== undefined) f.maxResponseBytes = checked(() => parseSize(l.maxResponseSize!, at('maxResponseSize')));
  return f;
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Layers a config fragment under explicit options: per provider and per key, `options` win. */
export function mergeUnder(options: EngineOptions, file: ConfigEngineOptions): EngineOptions & { providerFetch?: Record<string, FetchSettings> } {
  const config: Record<string, ProviderConfig> = { ...file.config };
  for (const [p, values] of Object.entries(options.config ?? {})) config[p] = { ...config[p], ...defined(values) };
  const explicitTtl = options.cache === false ? undefined : options.cache?.ttlSeconds;
  const cache = options.cache === false ? false : explicitTtl !== undefined ? { ttlSeconds: explicitTtl } : (file.cache ?? options.cache);
  const fetch = file.fetch || options.fetch ? { ...file.fetch, ...defined(options.fetch) } : undefined;
  const merged: EngineOptions & { providerFetch?: Record<string, FetchSettings> } = { ...options, config, cache };
  if (fetch) merged.fetch = fetch;
  if (file.manifests?.length) merged.manifests = [...file.manifests, ...(options.manifests ?? [])];
  if (file.providerFetch) merged.providerFetch = file.providerFetch;
  if (options.statementTimeoutMs === undefined && file.statementTimeoutMs !== undefined) merged.statementTimeoutMs = file.statementTimeoutMs;
  return merged;
}

/**
 * The hook for the CLI's engineOptions(): loads the config file (--config, else the lookup) and
 * layers it under `options`. With --demo the caller replaces `config` with the simulators'
 * settings afterwards, so a real config file never points the demo at real services.
 */
export function withConfigFile(
  options: EngineOptions,
  opts: { config?: string; providerFile?: string[] },
  cwd: string = process.cwd(),
  env: Env = process.env,
): EngineOptions {
  const cfg = loadConfigFile(opts.config, cwd, env, opts.providerFile ?? []);
  return cfg ? mergeUnder(options, configToEngineOptions(cfg, env)) : options;
}
