// YAML parsing, loaded on first use: most statements read no YAML at all (the built-in manifests
// ship as validated JSON), so the parser stays out of start-up.
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let yaml: YamlModule | undefined;

export function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yaml.parse(text);
}
