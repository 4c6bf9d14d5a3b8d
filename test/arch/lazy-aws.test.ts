// Start-up stays light: the AWS packages (@aws-sdk/*, @smithy/*, @aws-crypto/*) load only when a
// request is signed, not for DESCRIBE, EXPLAIN or SHOW on an AWS table. A resolve hook in a child
// process records every such package the built engine asks for.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sessql-lazy-'));
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { register } from 'node:module';
const code = \`export async function resolve(specifier, context, next) {
  if (/^@(aws-sdk|smithy|aws-crypto)\\\\//.test(specifier)) process.stderr.write('LOADED ' + specifier + '\\\\n');
  return next(specifier, context);
}\`;
register('data:text/javascript,' + encodeURIComponent(code), import.meta.url);
`,
);

function run(script: string) {
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  return spawnSync(process.execPath, ['--import', hooks, file], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
}

describe('AWS packages load lazily', () => {
  it('not for metadata and planning on an AWS table', () => {
    const r = run(`const { createEngine } = await import(${JSON.stringify(join(ROOT, 'dist/src/index.js'))});
const engine = createEngine({ env: { AWS_REGION: 'us-east-1' }, cache: false });
await engine.query('DESCRIBE aws.ssm.sessions');
engine.explain("SELECT * FROM aws.ssm.sessions WHERE region IN ('us-east-1', 'eu-west-1') AND Status = 'Connected'");
engine.close();
console.log('done');`);
    expect(r.stdout).toContain('done');
    expect(r.stderr).not.toContain('LOADED');
  });

  it('the hook does see them when they load (a signed request)', () => {
    const r = run(`const { createEngine } = await import(${JSON.stringify(join(ROOT, 'dist/src/index.js'))});
const engine = createEngine({ env: {}, cache: false, config: { aws: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x'.repeat(40), profile: '' } }, fetch: { retryWaitCapMs: 1 } });
await engine.query("SELECT count(*) FROM aws.ssm.sessions WHERE state = 'Active'").catch(() => {});
engine.close();
console.log('done');`);
    expect(r.stdout).toContain('done');
    expect(r.stderr).toContain('LOADED @smithy/signature-v4');
  });
});
