// Provider configuration: each config key of a manifest is taken from the engine's overrides,
// else its environment variable, else its default. Enum values are checked here, once.
import { SessqlError } from '../errors.js';
import type { ProviderSpec } from '../manifest/schema.js';

export type ProviderConfig = Record<string, string | undefined>;

export function resolveProviderConfig(
  spec: ProviderSpec,
  overrides: ProviderConfig = {},
  env: Record<string, string | undefined> = {},
): ProviderConfig {
  const out: ProviderConfig = {};
  for (const [key, c] of Object.entries(spec.config)) {
    const fromEnv = [c.env, ...(c.envFallbacks ?? [])].map((name) => (name ? env[name] : undefined)).find((v) => v !== undefined && v !== '');
    const value = overrides[key] ?? (fromEnv === '' ? undefined : fromEnv) ?? c.default;
    if (value !== undefined && c.enum && !c.enum.includes(value)) {
      const source = overrides[key] !== undefined ? `${spec.name}.${key}` : (c.env ?? key);
      throw new SessqlError('INVALID_CONFIG', `${source} cannot be '${value}': allowed values are ${c.enum.join(', ')}`);
    }
    out[key] = value;
  }
  for (const key of Object.keys(overrides)) {
    if (!spec.config[key]) {
      throw new SessqlError('INVALID_CONFIG', `unknown setting '${key}' for provider ${spec.name}`, {
        hint: `settings of ${spec.name}: ${Object.keys(spec.config).join(', ')}`,
      });
    }
  }
  return out;
}
