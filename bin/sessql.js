#!/usr/bin/env node
// Launcher: runs the bundled CLI (built by `npm ci` through the `prepare` script); falls back to
// the unbundled build when the bundle is missing (a `tsc` run without the bundle step).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/src/cli/main.bundle.js', import.meta.url);
const entry = existsSync(fileURLToPath(bundle)) ? bundle : new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('error[NOT_BUILT]: sessql is not built yet\nhint: run `npm ci` (or `npm run build`) in the sessql folder first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
