#!/usr/bin/env node
// Launcher: runs the bundled CLI (built by `npm ci` through the `prepare` script) with a V8 code
// cache next to it, or the unbundled build when there is no bundle (a bare `tsc` run).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/src/cli/main.bundle.cjs', import.meta.url));
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
let main;
let saveCache = () => {};
if (existsSync(bundle)) {
  const cacheFile = `${bundle}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  main = module.exports.main;
  // a missing or stale cache (another Node version) is written after the run, when it holds
  // the functions this run compiled; a read-only install simply runs without one
  if (cachedData === undefined || script.cachedDataRejected) {
    saveCache = () => {
      try {
        writeFileSync(cacheFile, script.createCachedData());
      } catch {
        // not writable: no cache
      }
    };
  }
} else if (existsSync(fileURLToPath(entry))) {
  ({ main } = await import(entry.href));
} else {
  process.stderr.write('error[NOT_BUILT]: sessql is not built yet\nhint: run `npm ci` (or `npm run build`) in the sessql folder first\n');
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
saveCache();
