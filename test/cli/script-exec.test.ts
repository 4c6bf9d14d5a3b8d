// `sessql exec` in CI: --outfile, --continue-on-error, --no-cache / --cache-ttl, meta-commands in
// the SQL, and help (not the shell) when there are no arguments and no terminal.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('sessql exec: script options', () => {
  it('--outfile gets the results, stdout stays empty; --continue-on-error keeps going; exit code of the first failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessql-exec-'));
    const file = join(dir, 'checks.sql');
    writeFileSync(file, "SELECT 'first' AS x;\nSELECT * FROM cloudconnexa.vpn.nope;\n.output ndjson\nSELECT 'last' AS y;\n");
    const out = join(dir, 'out.csv');
    const r = await runCli(['--demo', 'exec', '-f', file, '-o', 'csv', '-O', out, '--continue-on-error']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('x\r\nfirst\r\n{"y":"last"}\n');
    expect(r.stderr).toContain('error[UNKNOWN_TABLE]');
    expect(r.stderr).toContain(`  --> ${file}:2`);
  });

  it('--no-cache fetches again for every statement (also when given before the command); --cache-ttl validates', async () => {
    const sql = '.timing on\nSELECT count(*) FROM cloudconnexa.vpn.regions;\nSELECT count(*) FROM cloudconnexa.vpn.regions;';
    const r = await runCli(['--demo', '--no-cache', 'exec', sql]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/fetches: 1 \(0 from cache\)/g)).toHaveLength(2);
    const bad = await runCli(['--demo', 'exec', '--cache-ttl', 'soon', 'SELECT 1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--cache-ttl <seconds>' argument 'soon' is invalid");
  });

  it('no command and a script on stdin runs it (as sqlite3 and psql do); --help lists the commands; shell --help documents the shell', async () => {
    const r = await runCli(['--demo'], { input: 'SELECT 1 AS one;\n.mode csv\nSELECT 2 AS two;\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('one');
    expect(r.stdout).toContain('two\r\n2');
    const empty = await runCli([]);
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('shell [options]');
    const h = await runCli(['shell', '--help']);
    expect(h.stdout).toContain('Ctrl-R searches the history');
    expect(h.stdout).toContain('--continue-on-error');
  });
});
