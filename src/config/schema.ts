// The config file's shape, built from the provider manifests: per provider, each non-secret
// config key may be set literally and any key as `<key>Env: VAR_NAME`; secret keys only by
// variable name. Invariant: a validated config never holds a secret value, only names.
import { z } from 'zod';
import type { ProviderSpec } from '../manifest/schema.js';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME_MESSAGE = 'must be the name of an environment variable (letters, digits and _), not a value';

/** Settings every provider accepts besides its manifest's config keys (built with the schema, not at start-up). */
const fetchShape = () => ({
  /** Concurrent requests to the provider. */
  concurrency: z.number().int().min(1).max(64).optional(),
  /** Per-request timeout. */
  timeoutSeconds: z.number().positive().max(3600).optional(),
});

export interface ProviderFileSettings {
  /** Literal values of non-secret config keys. */
  values: Record<string, string>;
  /** Environment variable names by config key (`clientSecretEnv: X` → clientSecret: X). */
  envNames: Record<string, string>;
  concurrency?: number;
  timeoutSeconds?: number;
}

/** Bounds on one statement (durations as `90s`/`5m` or seconds, sizes as `64MB` or bytes). */
export interface LimitSettings {
  /** Deadline of one statement (--timeout). */
  timeout?: string | number;
  /** How long a long-running operation may take (--lro-timeout). */
  lroTimeout?: string | number;
  /** Largest response body (--max-response-size). */
  maxResponseSize?: string | number;
}

export const limitKeys = ['timeout', 'lroTimeout', 'maxResponseSize'];

/** A validated config file. */
export interface ConfigFile {
  path: string;
  providers: Record<string, ProviderFileSettings>;
  cache?: false | { ttlSeconds?: number };
  fetch?: { concurrency?: number; timeoutSeconds?: number };
  /** Provider manifest files listed under `providers:` (absolute paths). */
  manifests?: string[];
  limits?: LimitSettings;
}

/** The keys a provider section accepts, in the order the manifest declares them. */
export function providerKeys(spec: ProviderSpec): string[] {
  const keys = Object.entries(spec.config).flatMap(([k, c]) => (c.secret ? [`${k}Env`] : [k, `${k}Env`]));
  return [...keys, ...Object.keys(fetchShape())];
}

export const topLevelKeys = ['providers', 'cache', 'fetch', 'limits'];

export function configSchema(specs: ProviderSpec[]) {
  const durationOrSize = z.union([z.string().min(1), z.number().positive()]).optional();
  const providers: Record<string, z.ZodType> = {};
  for (const spec of specs) {
    const shape: Record<string, z.ZodType> = { ...fetchShape() };
    for (const [key, c] of Object.entries(spec.config)) {
      if (!c.secret) shape[key] = (c.enum && c.enum.length ? z.enum(c.enum as [string, ...string[]]) : z.string().min(1)).optional();
      shape[`${key}Env`] = z.string().regex(ENV_NAME, ENV_NAME_MESSAGE).optional();
    }
    providers[spec.name] = z.strictObject(shape).nullish();
  }
  return z.strictObject({
    providers: z.strictObject(providers).nullish(),
    /** false disables reuse of fetched rows between statements; ttlSeconds 0 does too. */
    cache: z.union([z.literal(false), z.strictObject({ ttlSeconds: z.number().min(0).optional() })]).nullish(),
    /** Defaults for every provider (a provider's own concurrency/timeoutSeconds win). */
    fetch: z.strictObject(fetchShape()).nullish(),
    /** Statement deadline, long-running-operation limit, response size limit. */
    limits: z.strictObject({ timeout: durationOrSize, lroTimeout: durationOrSize, maxResponseSize: durationOrSize }).nullish(),
  });
}

export type RawConfig = z.infer<ReturnType<typeof configSchema>>;

/** Splits each provider section into literal values, variable names and fetch settings. */
export function normalise(path: string, raw: RawConfig, specs: ProviderSpec[]): ConfigFile {
  const providers: Record<string, ProviderFileSettings> = {};
  for (const spec of specs) {
    const section = (raw.providers?.[spec.name] ?? undefined) as Record<string, string | number | undefined> | undefined;
    if (!section) continue;
    const settings: ProviderFileSettings = { values: {}, envNames: {} };
    for (const key of Object.keys(spec.config)) {
      const value = section[key];
      const envName = section[`${key}Env`];
      if (typeof value === 'string') settings.values[key] = value;
      if (typeof envName === 'string') settings.envNames[key] = envName;
    }
    if (typeof section.concurrency === 'number') settings.concurrency = section.concurrency;
    if (typeof section.timeoutSeconds === 'number') settings.timeoutSeconds = section.timeoutSeconds;
    providers[spec.name] = settings;
  }
  const cache = raw.cache === false ? false : raw.cache ? { ttlSeconds: raw.cache.ttlSeconds } : undefined;
  return { path, providers, cache, fetch: raw.fetch ?? undefined, limits: raw.limits ?? undefined };
}
