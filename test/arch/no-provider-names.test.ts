// "Providers are data": src/ outside src/simulator/ never refers to a provider by name — no string
// literal equal to a provider's name, no table id (`provider.service…`), no property or config
// lookup by provider name. Capability names (an auth kind, an error envelope) are fine.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/manifest/catalog.js';

const root = new URL('../../src/', import.meta.url).pathname;

/**
 * The only exceptions: usage examples in the CLI's --help text, which are documentation for a
 * person (they run against --demo), not code that selects behaviour by provider.
 */
const HELP_EXAMPLES = new Set(['cli/help.ts', 'cli/commands/report.ts']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return relative(root, path) === 'simulator' ? [] : files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Code without comments (string contents are kept: a provider name in a message counts). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function offences(text: string, providers: string[]): string[] {
  const found: string[] = [];
  for (const p of providers) {
    const patterns = [new RegExp(`(['"\`])${p}\\1`, 'i'), new RegExp(`\\b${p}\\.[A-Za-z_]`, 'i'), new RegExp(`\\.${p}\\b(?![-/])`, 'i')];
    for (const re of patterns) {
      const m = re.exec(code(text));
      if (m) found.push(m[0]);
    }
  }
  return found;
}

describe('src/ names no provider', () => {
  const providers = [...Catalog.load().providers.keys()];

  it('knows the built-in providers', () => {
    expect(providers).toEqual(expect.arrayContaining(['aws', 'azure', 'boundary', 'cloudconnexa']));
  });

  it('finds the forms it forbids', () => {
    expect(offences("if (spec.name === 'boundary') {}", providers)).toEqual(["'boundary'"]);
    expect(offences('const hint = "DESCRIBE cloudconnexa.vpn.sessions";', providers)).toEqual(['cloudconnexa.v']);
    expect(offences('const c = config.azure;', providers)).toEqual(['.azure']);
    expect(offences("import('@azure/identity'); kind: 'aws-json' // aws.ssm.sessions", providers)).toEqual([]);
  });

  it('holds for every file of src/ outside src/simulator/', () => {
    const bad = files(root)
      .map((f) => [relative(root, f), offences(readFileSync(f, 'utf8'), providers)] as const)
      .filter(([file, found]) => found.length > 0 && !HELP_EXAMPLES.has(file));
    expect(bad).toEqual([]);
  });
});
