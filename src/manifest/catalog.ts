// The catalog: every provider manifest sessql knows (built-in ones from `providers/`, plus
// user-supplied files), validated with zod at load time. Errors name the file and the path
// inside it, so a manifest author can fix them without reading code.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYaml } from '../yaml.js';
import { SessqlError } from '../errors.js';
import { checkManifest, formatZodIssues } from './check.js';
import { schemas, type ProviderSpec, type ResourceSpec } from './schema.js';

export interface LoadedProvider {
  spec: ProviderSpec;
  file: string;
}

/** A resource with its provider, after the provider's config picked its variant. */
export interface ResourceRef {
  /** `provider.service.resource` */
  id: string;
  provider: string;
  service: string;
  name: string;
  spec: ResourceSpec;
}

/** Folder of the built-in manifests: `<package root>/providers`. */
export function builtinProvidersDir(): string {
  // this file is src/manifest/catalog.ts, compiled to dist/src/manifest/catalog.js
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'providers')) && existsSync(join(dir, 'package.json'))) return join(dir, 'providers');
    dir = dirname(dir);
  }
  throw new SessqlError('INTERNAL', 'cannot find the built-in providers folder');
}

export function loadManifestFile(file: string): LoadedProvider {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SessqlError('INVALID_MANIFEST', `cannot read provider manifest ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SessqlError(
      'INVALID_MANIFEST',
      `provider manifest ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  const parsed = schemas().ProviderSpec.safeParse(raw);
  if (!parsed.success) {
    throw new SessqlError('INVALID_MANIFEST', `provider manifest ${path} is invalid: ${formatZodIssues(parsed.error)}`, {
      hint: 'see docs/providers.md for the manifest format',
    });
  }
  checkManifest(parsed.data, path, (base, set) => deepMerge(structuredClone(base), set));
  return { spec: parsed.data, file: path };
}

export class Catalog {
  readonly providers = new Map<string, LoadedProvider>();

  static load(extraManifestFiles: string[] = []): Catalog {
    const catalog = new Catalog();
    for (const p of builtinProviders()) catalog.add(p);
    for (const file of extraManifestFiles) catalog.add(loadManifestFile(file));
    return catalog;
  }

  add(p: LoadedProvider): void {
    this.providers.set(p.spec.name, p);
  }

  /** Every `provider.service.resource` id, sorted. */
  resourceIds(): string[] {
    const ids: string[] = [];
    for (const { spec } of this.providers.values()) {
      for (const [s, service] of Object.entries(spec.services)) {
        for (const r of Object.keys(service.resources)) ids.push(`${spec.name}.${s}.${r}`);
      }
    }
    return ids.sort();
  }

  /** The resource, with the variant its provider's config selects; undefined if unknown. */
  find(id: string, config: (provider: string) => Record<string, string | undefined> = () => ({})): ResourceRef | undefined {
    const [provider, service, name, ...rest] = id.split('.');
    if (rest.length || !provider || !service || !name) return undefined;
    const p = this.providers.get(provider);
    const base = p?.spec.services[service]?.resources[name];
    if (!p || !base) return undefined;
    return { id, provider, service, name, spec: applyVariants(base, config(provider)) };
  }
}

/** The built-in manifest files, providers/<name>/manifest.yaml, sorted by name. */
export function builtinManifestFiles(): string[] {
  const dir = builtinProvidersDir();
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name, 'manifest.yaml'))
    .filter((file) => existsSync(file));
}

/** Where the build writes the validated built-in manifests (dist/providers.json). */
export function compiledManifestsPath(): string {
  return join(dirname(builtinProvidersDir()), 'dist', 'providers.json');
}

/**
 * The built-in providers: from the JSON the build validated when it is newer than every
 * manifest (start-up then parses no YAML), else from the manifests themselves.
 */
function builtinProviders(): LoadedProvider[] {
  const files = builtinManifestFiles();
  const compiled = compiledManifestsPath();
  if (existsSync(compiled)) {
    const builtAt = statSync(compiled).mtimeMs;
    if (files.every((f) => statSync(f).mtimeMs <= builtAt)) {
      const { providers } = JSON.parse(readFileSync(compiled, 'utf8')) as { providers: ProviderSpec[] };
      if (providers.length === files.length) return providers.map((spec, i) => ({ spec, file: files[i] }));
    }
  }
  return files.map(loadManifestFile);
}

/** Deep-merges each variant whose `when` matches the provider's config into the resource. */
export function applyVariants(spec: ResourceSpec, config: Record<string, string | undefined>): ResourceSpec {
  let out = spec;
  for (const v of spec.variants) {
    if (Object.entries(v.when).every(([k, val]) => config[k] === val)) {
      out = schemas().ResourceSpec.parse(deepMerge(structuredClone(out), v.set));
    }
  }
  return out;
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(patch)) {
    const cur = target[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) {
      deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      target[k] = v;
    }
  }
  return target;
}
