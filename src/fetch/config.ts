// Provider config checks done before any request: base URL, credentials, required keys and enums.
// Messages name the environment variable to set, never a value (values may be secrets).
import { SessqlError } from '../errors.js';
import type { ProviderSpec } from '../manifest/schema.js';

export type ProviderConfig = Record<string, string | undefined>;

/** The environment variable behind a config key, or a description of the key itself. */
export function envName(spec: ProviderSpec, key: string): string {
  return spec.config[key]?.env ?? `config value '${key}'`;
}

export function isSet(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}

/** MISSING_CREDENTIALS naming each unset key's environment variable. */
export function requireKeys(spec: ProviderSpec, config: ProviderConfig, keys: string[], what: string): void {
  const missing = keys.filter((k) => !isSet(config[k]));
  if (missing.length === 0) return;
  const names = missing.map((k) => envName(spec, k));
  throw new SessqlError('MISSING_CREDENTIALS', `${spec.title}: ${what} missing: ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not set`, {
    hint: `set ${names.join(' and ')}`,
  });
}

export function checkRequiredAndEnums(spec: ProviderSpec, config: ProviderConfig): void {
  const required = Object.entries(spec.config)
    .filter(([, c]) => c.required)
    .map(([k]) => k);
  for (const key of required) requireKeys(spec, config, [key], 'required setting');
  for (const [key, c] of Object.entries(spec.config)) {
    const v = config[key];
    if (!c.enum || !isSet(v) || c.enum.includes(v)) continue;
    const shown = c.secret ? 'the configured value' : `'${v}'`;
    throw new SessqlError('INVALID_CONFIG', `${spec.title}: ${shown} is not valid for ${envName(spec, key)}`, {
      hint: `use one of: ${c.enum.join(', ')}`,
    });
  }
}
