// Build step: validates every built-in manifest (providers/*/manifest.yaml) with zod and writes
// them to dist/providers.json, so sessql starts without parsing YAML. The catalog uses the JSON
// only while no manifest is newer than it; otherwise it reads and validates the YAML again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinManifestFiles, compiledManifestsPath, loadManifestFile } from '../src/manifest/catalog.js';

const files = builtinManifestFiles();
const providers = files.map((file) => loadManifestFile(file).spec);
writeFileSync(compiledManifestsPath(), `${JSON.stringify({ providers })}\n`);
process.stdout.write(`compiled ${providers.length} provider manifests to ${join('dist', 'providers.json')}\n`);
