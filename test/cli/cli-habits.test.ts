// What users of psql, sqlite3, stackql and steampipe expect of the command line (issue 13):
// quiet EPIPE, one statement per argument, -c, SQL that starts with a comment, option errors in
// sessql's format, generated credentials help, report -o/-O, pasteable --dry-run, DESCRIBE and
// SHOW METHODS, --quiet. Each spawns the built CLI against --demo.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/manifest/catalog.js';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sessql-habits-'));
const BIG = 'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300000) SELECT n FROM c';

/** Runs a bash pipeline in the repository; the exit code printed is sessql's (the first command's). */
function pipeline(script: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${script}; echo "exit=\${PIPESTATUS[0]}" >&2`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

describe('the command line as psql and sqlite3 users expect it', () => {
  it('a reader that stops early (| head -1) ends sessql quietly, in exec and in the shell', async () => {
    const [exec, shell] = await Promise.all([
      pipeline(`node bin/sessql.js --demo exec -o csv "${BIG}" | head -1`),
      pipeline(`printf '%s;\\nSELECT 1;\\n' "${BIG}" | node bin/sessql.js --demo shell -o csv | head -1`),
    ]);
    for (const r of [exec, shell]) {
      expect(r.stdout).toBe('n\r\n');
      expect(r.stderr).toBe('exit=0\n');
    }
  });

  it('each argument is one statement or meta-command, as repeated psql -c; -c is the same', async () => {
    const r = await runCli(['--demo', 'exec', '.output csv', 'SELECT 1 AS a', 'SELECT 2 AS b; SELECT 3 AS c']);
    expect(r).toMatchObject({ code: 0, stdout: 'a\r\n1\r\nb\r\n2\r\nc\r\n3\r\n' });
    const c = await runCli(['--demo', 'exec', '-c', '.mode csv', '-c', 'SELECT 1 AS a']);
    expect(c).toMatchObject({ code: 0, stdout: 'a\r\n1\r\n' });
    const bad = await runCli(['--demo', 'exec', '.timing on foo', 'SELECT 1']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(".timing takes at most 1 argument, not 'on foo'");
  });

  it('SQL that starts with a comment is SQL, not an option', async () => {
    const r = await runCli(['--demo', 'exec', '-o', 'csv', '-- note\nSELECT 1 AS c', '/* x */ SELECT 2 AS d']);
    expect(r).toMatchObject({ code: 0, stdout: 'c\r\n1\r\nd\r\n2\r\n' });
  });

  it("option errors from the argument parser use sessql's error format", async () => {
    const unknown = await runCli(['exec', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("error[INVALID_OPTION]: unknown option '--bogus'\nhint: see sessql exec --help\n");
    const typo = await runCli(['exec', '--dry-rnu']);
    expect(typo.stderr).toMatch(/^error\[INVALID_OPTION\]: unknown option '--dry-rnu'\nhint: Did you mean --dry-run\? \(see sessql exec --help\)\n$/);
    const value = await runCli(['check', '-f', 'x.sql', '--max-rows', 'many']);
    expect(value.stderr).toMatch(/^error\[INVALID_OPTION\]: option '--max-rows <n>' argument 'many' is invalid/);
  });

  it('--help lists the environment variables of every provider manifest; no doubled defaults', async () => {
    const [help, check] = await Promise.all([runCli(['--help']), runCli(['check', '--help'])]);
    const envs = [...Catalog.load().providers.values()].flatMap(({ spec }) => Object.values(spec.config).flatMap((c) => (c.env ? [c.env] : [])));
    expect(envs.length).toBeGreaterThan(5);
    for (const env of envs) expect(help.stdout).toContain(env);
    expect(check.stdout.replace(/\s+/g, ' ')).toContain('offending rows printed per failed check (default: 20)');
    expect(check.stdout).not.toContain('(default 20)');
  });

  it('report: -o is the format and -O the file, as in exec; the old -o FILE still works with a notice', async () => {
    const html = join(dir, 'old.html');
    const sql = join(ROOT, 'examples/policy.sql');
    const [old, md, quiet] = await Promise.all([
      runCli(['--demo', 'report', '-f', sql, '-o', html]),
      runCli(['--demo', 'report', '-f', sql, '-o', 'md']),
      runCli(['--demo', '--quiet', 'report', '-f', sql, '-O', join(dir, 'new.html')]),
    ]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toContain(`notice: report -o now takes the format, as in exec; writing the file ${html}`);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# /);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(dir, 'new.html'))).toBe(true);
  });

  it('--dry-run prints SQL that pastes back: the ; before a trailing comment, the plan as comments', async () => {
    const dry = await runCli([
      '--demo',
      'exec',
      '--dry-run',
      "SELECT count(*) AS n FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' -- required",
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^SELECT count\(\*\) AS n FROM cloudconnexa\.vpn\.sessions WHERE status = 'ACTIVE'; -- required\n-- /);
    const again = await runCli(['--demo', 'exec', '-o', 'csv'], { input: dry.stdout });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^n\r\n\d+\r\n$/);
  });

  it('DESCRIBE says no/any instead of NULL for plain columns; SHOW METHODS lists SELECT and EXEC methods', async () => {
    const r = await runCli([
      '--demo',
      'exec',
      '-o',
      'json',
      'DESCRIBE cloudconnexa.vpn.sessions',
      'SHOW METHODS IN azure.network.active_sessions',
      '.describe active_sessions',
      'DESCRIBE azure.network.active_sessions',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [describeRows, methods, short, full] = r.stdout
      .split(/^\]$/m)
      .filter((t) => t.trim())
      .map((t) => JSON.parse(`${t}]`) as Record<string, unknown>[]);
    expect(describeRows.every((row) => row.required !== null && row.allowed_values !== null)).toBe(true);
    expect(describeRows.find((row) => row.name === 'userName')).toMatchObject({ required: 'no', allowed_values: 'any' });
    expect(describeRows.find((row) => row.name === 'status')).toMatchObject({ required: 'optional', allowed_values: 'ACTIVE, COMPLETED, FAILED' });
    expect(methods.map((m) => [m.method, m.sql_verb])).toEqual([
      ['select', 'SELECT'],
      ['disconnect', 'EXEC'],
    ]);
    expect(String(methods[1].required_params)).toContain('sessionIds');
    expect(short).toEqual(full);
  });

  it('--quiet keeps only errors on stderr', async () => {
    const ok = await runCli(['--demo', '--quiet', 'exec', '.timing on', 'SELECT count(*) FROM cloudconnexa.vpn.sessions']);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    const bad = await runCli(['--demo', 'exec', '-q', 'SELEC 1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error\[SQL_SYNTAX\]/);
  });
});
