// Build step: bundles the compiled CLI (dist/src/cli/main.js and everything it imports, npm
// packages included) into one CommonJS file, dist/src/cli/main.bundle.cjs, which bin/sessql.js
// runs with a V8 code cache (main.bundle.cjs.cache, written by a first run here): resolving,
// reading and compiling ~80 modules and their packages one by one was most of sessql's start-up
// (docs/performance.md, scenario 6). The bundle sits next to main.js, so every path a module
// derives from `import.meta.url` resolves as in the unbundled build. Packages loaded lazily stay
// outside it: better-sqlite3 (native), @azure/identity (credential chain only), axios, and the AWS
// SDK's signer and credential chain (aws provider only; ~900 KB that every start-up would parse).
import { build, type Plugin } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * zod re-exports every message locale (`z.locales`, ~370 KB of 1.3 MB); sessql uses none but the
 * default English one, which zod imports on its own.
 */
const englishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

const dir = fileURLToPath(new URL('../src/cli/', import.meta.url));
const outfile = `${dir}main.bundle.cjs`;

await build({
  entryPoints: [`${dir}main.js`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', '@azure/identity', 'axios', '@aws-sdk/*', '@smithy/*', '@aws-crypto/*'],
  // import() of an external package becomes require(): a script run through node:vm has no ESM loader
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__sessqlUrl' },
  banner: { js: "const __sessqlUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [englishOnly],
  logLevel: 'warning',
});
// The code cache: written by one run of the bundle (bin/sessql.js writes it when it is missing).
rmSync(`${outfile}.cache`, { force: true });
const bin = fileURLToPath(new URL('../../bin/sessql.js', import.meta.url));
spawnSync(process.execPath, [bin, 'exec', 'SHOW PROVIDERS'], { stdio: 'ignore' });
process.stdout.write('bundled the CLI to dist/src/cli/main.bundle.cjs\n');
