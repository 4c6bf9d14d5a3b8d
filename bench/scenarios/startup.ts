// Scenario 6, start-up: `sessql exec "SHOW PROVIDERS"` from a cold process, N times, median, next
// to a bare `node -e ""` and the import time of each heavy dependency. Invariant: measures the
// built CLI (bin/sessql.js → dist/), spawning it exactly as a user's shell would.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, row, type BenchContext } from '../common.js';
import type { BenchRow } from '../report.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function timeSpawn(args: string[], cwd: string): Promise<{ ms: number; code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - t0, code, stdout }));
  });
}

async function medianOf(n: number, args: string[], cwd: string): Promise<{ ms: number; code: number | null; stdout: string }> {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await timeSpawn(args, cwd));
  return { ms: median(runs.map((r) => r.ms)), code: runs[0].code, stdout: runs[0].stdout };
}

/**
 * Modules whose import cost start-up pays (or could avoid), each timed in a cold process. The
 * parser (single-dialect build) and @azure/identity are already loaded lazily; listed for scale.
 */
const IMPORTS = ['commander', 'yaml', 'zod', 'axios', 'better-sqlite3', 'cli-table3', 'csv-stringify/sync', '@azure/identity'];

export async function startup(ctx: BenchContext): Promise<BenchRow[]> {
  const root = findRoot();
  const bin = `${root}/bin/sessql.js`;
  if (!existsSync(`${root}/dist/src/cli/main.js`)) {
    return [row({ scenario: 'startup', variant: 'SHOW PROVIDERS (cold)', target: 'skipped: not built (npm run build)', details: {} })];
  }
  const n = ctx.quick ? 1 : 9;
  ctx.log(`startup: ${n} cold runs`);
  // interleaved, so load from other processes falls on all three alike
  const runs: Record<'node' | 'show' | 'select', Array<{ ms: number; code: number | null; stdout: string }>> = { node: [], show: [], select: [] };
  for (let i = 0; i < n; i++) {
    runs.node.push(await timeSpawn(['-e', ''], root));
    runs.show.push(await timeSpawn([bin, 'exec', 'SHOW PROVIDERS'], root));
    runs.select.push(await timeSpawn([bin, 'exec', 'SELECT 1'], root));
  }
  const pick = (r: typeof runs.node) => ({ ms: median(r.map((x) => x.ms)), code: r[0].code, stdout: r[0].stdout });
  const node = pick(runs.node);
  const show = pick(runs.show);
  const select = pick(runs.select);
  const imports: Record<string, number> = {};
  if (!ctx.quick) {
    for (const m of IMPORTS) {
      const r = await medianOf(3, ['--input-type=module', '-e', `await import(${JSON.stringify(m)})`], root);
      imports[m] = Math.max(0, r.ms - node.ms);
    }
    const main = await medianOf(3, ['--input-type=module', '-e', `await import(${JSON.stringify(`${root}/dist/src/cli/main.js`)})`], root);
    imports['dist/src/cli/main.js (all static imports)'] = Math.max(0, main.ms - node.ms);
    // reading the built-in manifests: YAML parse + zod validation, measured inside one process
    const script = [
      `const { Catalog } = await import(${JSON.stringify(`${root}/dist/src/manifest/catalog.js`)});`,
      'const t = performance.now(); Catalog.load([]); console.log(performance.now() - t);',
    ].join(' ');
    const catalog = await timeSpawn(['--input-type=module', '-e', script], root);
    imports['Catalog.load (built-in manifests from dist/providers.json)'] = Number(catalog.stdout.trim());
  }
  const ok = show.code === 0 && /cloudconnexa/.test(show.stdout) && /azure/.test(show.stdout) && select.code === 0;
  return (
    [
      ['SHOW PROVIDERS (cold)', show],
      ['SELECT 1 (cold)', select],
    ] as const
  ).map(([variant, m]) =>
    row({
      scenario: 'startup',
      variant,
      wallMs: m.ms,
      lowerBound: node.ms,
      ratio: m.ms / node.ms,
      target: `≤ node + 100 ms (node alone ${Math.round(node.ms)} ms; sessql adds ${Math.round(m.ms - node.ms)} ms)`,
      met: ok ? m.ms - node.ms <= 100 : false,
      details: { runs: n, nodeAloneMs: node.ms, sessqlMs: m.ms, addedMs: m.ms - node.ms, exitCode: m.code, costMs: imports },
    }),
  );
}

function findRoot(): string {
  // dist/bench/scenarios → repo root, or bench/scenarios (sources) → repo root
  for (const up of ['../../..', '../..']) {
    const dir = fileURLToPath(new URL(`${up}/`, import.meta.url));
    if (existsSync(`${dir}package.json`) && existsSync(`${dir}bin/sessql.js`)) return dir.replace(/\/$/, '');
  }
  return ROOT;
}
