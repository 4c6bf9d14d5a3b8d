// End to end: `sessql --demo check` as CI runs it — exit codes, the pass/fail summary with the
// offending rows, JUnit XML a strict XML parser accepts, and errors that stop every check.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findAll, parseXml, textOf } from '../helpers/xml.js';

const dir = mkdtempSync(join(tmpdir(), 'sessql-check-'));
// no user config file may leak into the tests
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const PASSING = file(
  'passing.sql',
  `-- Policy file header, not a check title.

-- check: every session is in a known region
SELECT s.id FROM cloudconnexa.vpn.sessions s
LEFT JOIN cloudconnexa.vpn.regions r ON r.id = s.region
WHERE r.id IS NULL AND s.sessionStartTime >= date('now', '-30 days');

-- check: no region without a country
SELECT id FROM cloudconnexa.vpn.regions WHERE country IS NULL OR country = '';
`,
);

const FAILING = file(
  'failing.sql',
  `-- check: no regions outside North America
SELECT id, country FROM cloudconnexa.vpn.regions WHERE continent <> 'North America' ORDER BY id;

-- check: regions <are> "known" & listed
SELECT id FROM cloudconnexa.vpn.regions WHERE 0;
`,
);

describe('sessql check', () => {
  it('exits 0 when every check returns no rows, with a summary line', async () => {
    const r = await runCli(['--demo', 'check', '-f', PASSING], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS  every session is in a known region  \(\d+\.\d\ds\)$/m);
    expect(r.stdout).toMatch(/^PASS  no region without a country/m);
    expect(r.stdout.trimEnd().endsWith('2 checks: 2 passed, 0 failed')).toBe(true);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 1 when a check returns rows, printing them (limited) and writing JUnit XML', async () => {
    const junit = join(dir, 'out.xml');
    const r = await runCli(['--demo', 'check', '-f', PASSING, '-f', FAILING, '--junit', junit, '--max-rows', '3'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL  no regions outside North America  \(8 rows, /m);
    expect(r.stdout).toContain(`at ${FAILING}:2`);
    expect(r.stdout).toMatch(/│ ap-northeast-1 │ Japan +│/);
    expect(r.stdout).toContain('…and 5 more rows');
    expect(r.stdout.trimEnd().endsWith('4 checks: 3 passed, 1 failed')).toBe(true);

    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '4', failures: '1', errors: '0', skipped: '0' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      [PASSING, '2', '0'],
      [FAILING, '2', '1'],
    ]);
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual([
      'every session is in a known region',
      'no region without a country',
      'no regions outside North America',
      'regions <are> "known" & listed',
    ]);
    const failure = findAll(cases[2], 'failure')[0];
    expect(failure.attrs.message).toBe('8 rows returned (the check passes when none is)');
    expect(textOf(failure)).toContain('ap-northeast-1');
    expect(textOf(failure)).toContain("WHERE continent <> 'North America'");
    expect(cases[2].attrs).toMatchObject({ file: FAILING, line: '2' });
  });

  it('exits 2 on an SQL error found before running: nothing runs, JUnit marks the error', async () => {
    const bad = file(
      'bad.sql',
      `-- check: fine\nSELECT 1 WHERE 0;\n\n-- check: typo\nSELECT * FROM cloudconnexa.vpn.sesions;\n\n-- check: not a query\nSHOW PROVIDERS;\n`,
    );
    const junit = join(dir, 'bad.xml');
    const r = await runCli(['--demo', 'check', '-f', bad, '--junit', junit], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^SKIP  fine  \(not run\)$/m);
    expect(r.stdout).toMatch(/^ERROR typo  /m);
    expect(r.stdout.trimEnd().endsWith('3 checks: 0 passed, 0 failed, 2 errors, 1 not run')).toBe(true);
    expect(r.stderr).toContain(`error[UNKNOWN_TABLE]: ${bad}:5 'typo': unknown table cloudconnexa.vpn.sesions (line 5, column 15)`);
    expect(r.stderr).toMatch(/hint: did you mean cloudconnexa\.vpn\.sessions/);
    expect(r.stderr).toContain('error[SQL_UNSUPPORTED]: ');
    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(root.attrs).toMatchObject({ tests: '3', failures: '0', errors: '2', skipped: '1' });
    expect(findAll(root, 'error').map((e) => e.attrs.type)).toEqual(['UNKNOWN_TABLE', 'SQL_UNSUPPORTED']);
  });

  it('an error found while running fails that check only; the others still run (exit 2 for an SQL error)', async () => {
    const f = file(
      'runtime.sql',
      `-- check: bad json\nSELECT json_extract(id, '$.x') FROM cloudconnexa.vpn.regions;\n-- check: passes\nSELECT 1 WHERE 0;\n`,
    );
    const r = await runCli(['--demo', 'check', '-f', f], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ERROR bad json/m);
    expect(r.stdout).toMatch(/^PASS  passes/m);
    expect(r.stderr).toContain("'bad json': SQLite: malformed JSON");
  });

  it('an unknown column is found before any check runs (no API call), with a suggestion', async () => {
    const f = file('column.sql', `-- check: bad column\nSELECT nosuch FROM cloudconnexa.vpn.regions;\n-- check: passes\nSELECT 1 WHERE 0;\n`);
    const r = await runCli(['--demo', 'check', '-f', f], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ERROR bad column/m);
    expect(r.stdout).toMatch(/^SKIP  passes/m);
    expect(r.stderr).toContain("error[UNKNOWN_COLUMN]: column.sql:2 'bad column': unknown column nosuch".replace('column.sql', f));
  });

  it('fills {{ template }} variables from --var; a missing one is an error before anything runs', async () => {
    const f = file(
      'vars.sql',
      `-- check: no regions on {{ continent }}\nSELECT id FROM cloudconnexa.vpn.regions WHERE continent = '{{ continent }}';\n`,
    );
    const ok = await runCli(['--demo', 'check', '-f', f, '--var', 'continent=Antarctica'], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^PASS  no regions on \{\{ continent \}\}/m);
    const fails = await runCli(['--demo', 'check', '-f', f, '--var', 'continent=Europe'], { env });
    expect(fails.code).toBe(1);
    const missing = await runCli(['--demo', 'check', '-f', f], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[MISSING_TEMPLATE_VARIABLE]');
  });

  it('reads stdin with -f -, names unnamed checks by their SQL', async () => {
    const r = await runCli(['--demo', 'check', '-f', '-'], { env, input: 'SELECT id FROM cloudconnexa.vpn.regions WHERE 0' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS  SELECT id FROM cloudconnexa\.vpn\.regions WHERE 0  /m);
  });

  it('usage errors exit 2: no -f, a missing file, an empty file, a --junit folder that does not exist', async () => {
    const none = await runCli(['check'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/required option '-f, --file/);

    const missing = await runCli(['--demo', 'check', '-f', join(dir, 'nope.sql')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[INVALID_OPTION]: cannot read');

    const empty = await runCli(['--demo', 'check', '-f', file('empty.sql', '-- only a comment\n;\n')], { env });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/holds no SQL statement/);

    const junit = await runCli(['--demo', 'check', '-f', PASSING, '--junit', join(dir, 'no', 'such', 'x.xml')], { env });
    expect(junit.code).toBe(2);
    expect(junit.stdout).toBe('');
    expect(junit.stderr).toMatch(/cannot write --junit .*: the folder .* does not exist/);
  });

  it('replaces an existing JUnit file whole, leaving no temporary file behind', async () => {
    const junit = join(dir, 'replace.xml');
    writeFileSync(junit, 'old');
    await runCli(['--demo', 'check', '-f', PASSING, '--junit', junit], { env });
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
