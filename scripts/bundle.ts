// Build step: bundles the compiled CLI (dist/src/cli/main.js and everything it imports, npm
// packages included) into one file, dist/src/cli/main.bundle.js, which bin/sessql.js loads:
// resolving and reading ~80 modules and their packages one by one was most of the start-up time
// (docs/performance.md, scenario 6). The bundle sits next to main.js so every `import.meta.url`
// path it holds resolves as in the unbundled build. Packages loaded lazily stay outside it:
// better-sqlite3 (native), @azure/identity (credential chain only), axios (first HTTP request)
// and the SQL parser (first query), each required at run time from node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../src/cli/', import.meta.url));

await build({
  entryPoints: [`${dir}main.js`],
  outfile: `${dir}main.bundle.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', '@azure/identity', 'axios', 'node-sql-parser', 'node-sql-parser/*'],
  // CommonJS packages inside an ESM bundle need a require()
  banner: { js: "import { createRequire as __sessqlRequire } from 'node:module'; const require = __sessqlRequire(import.meta.url);" },
  logLevel: 'warning',
});
process.stdout.write('bundled the CLI to dist/src/cli/main.bundle.js\n');
