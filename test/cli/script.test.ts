// The script runner: splitting input into meta-commands and statements, meta-commands applied to
// the session, template variables, explain, the cache, and exit codes with and without
// --continue-on-error. Runs in-process against the CloudConnexa simulator.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { cutMetaLine, parseScript, ScriptReader } from '../../src/cli/runner/script.js';
import { metaArgs, matchesPattern } from '../../src/cli/runner/meta.js';
import { initialState, runScript, Session, type SessionState } from '../../src/cli/runner/session.js';
import { isQuery } from '../../src/cli/runner/statement.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { apiRequests, ccEngine } from '../helpers/engines.js';
import { captureIO } from '../helpers/session-io.js';

const brief = (text: string, source?: string) => parseScript(text, source).map((i) => [i.kind, i.text, i.where.line]);

describe('parseScript', () => {
  it.each([
    [
      'two statements on a line',
      'SELECT 1; SELECT 2;',
      [
        ['sql', 'SELECT 1', 1],
        ['sql', 'SELECT 2', 1],
      ],
    ],
    ['a ; inside a string does not split', "SELECT ';' AS s;\n", [['sql', "SELECT ';' AS s", 1]]],
    ['a ; inside comments does not split', '-- a; b\nSELECT 1\n/* x; y */ ;\n', [['sql', '-- a; b\nSELECT 1\n/* x; y */', 2]]],
    ['multi-line statement runs at its ;', 'SELECT\n  1\n  AS a\n;', [['sql', 'SELECT\n  1\n  AS a', 1]]],
    [
      'meta-command lines',
      '.timing on\n  .output csv\nSELECT 1;',
      [
        ['meta', '.timing on', 1],
        ['meta', '.output csv', 2],
        ['sql', 'SELECT 1', 3],
      ],
    ],
    ['a . line inside a pending statement is SQL', "SELECT 'a\n.b';", [['sql', "SELECT 'a\n.b'", 1]]],
    [
      'a meta-command ends at ;',
      ".set x 'a; b'; SELECT {{x}};",
      [
        ['meta', ".set x 'a; b'", 1],
        ['sql', 'SELECT {{x}}', 1],
      ],
    ],
    [
      'a meta-command after a statement',
      'SELECT 1; .timing off\nSELECT 2;',
      [
        ['sql', 'SELECT 1', 1],
        ['meta', '.timing off', 1],
        ['sql', 'SELECT 2', 2],
      ],
    ],
    ['the last statement needs no ;', '\n\nSELECT 1', [['sql', 'SELECT 1', 3]]],
    ['comments only: nothing', '-- nothing here\n/* nor here */\n', []],
    ['an open comment keeps the line pending (it fails as SQL at the end)', 'SELECT 1; /* open', [['sql', 'SELECT 1; /* open', 1]]],
    [
      'CRLF line ends',
      'SELECT 1;\r\n.quit\r\n',
      [
        ['sql', 'SELECT 1', 1],
        ['meta', '.quit', 2],
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(brief(text)).toEqual(expected);
  });

  it('reports the line of each statement in its source', () => {
    const items = parseScript('-- header\n\nSELECT 1;\n\n  SELECT\n 2;', 'q.sql');
    expect(items.map((i) => `${i.where.source}:${i.where.line}`)).toEqual(['q.sql:3', 'q.sql:5']);
  });

  it('the reader tells when a statement is pending (the shell continuation prompt)', () => {
    const r = new ScriptReader();
    expect(r.push('SELECT')).toEqual([]);
    expect(r.pendingStatement).toBe(true);
    expect(r.push("  'x;")).toEqual([]);
    expect(r.push("y' AS v;").map((i) => i.text)).toEqual(["SELECT\n  'x;\ny' AS v"]);
    expect(r.pendingStatement).toBe(false);
  });

  it('meta-command arguments: quotes keep blanks, ; outside quotes ends the command', () => {
    expect(metaArgs("set name 'a b' \"c d\" it's")).toEqual(['set', 'name', 'a b', 'c d', "it's"]);
    expect(cutMetaLine('.output csv ; SELECT 1')).toEqual({ command: '.output csv', rest: ' SELECT 1' });
  });

  it.each([
    ['vpn', 'cloudconnexa.vpn.users', true],
    ['vpn.u*', 'cloudconnexa.vpn.users', true],
    ['*sessions', 'azure.network.active_sessions', true],
    ['azure.*', 'cloudconnexa.vpn.users', false],
    ['us?rs', 'cloudconnexa.vpn.users', true],
  ])('.tables pattern %s on %s → %s', (pattern, id, expected) => {
    expect(matchesPattern(id, pattern)).toBe(expected);
  });

  it('isQuery', () => {
    expect(isQuery('/* c */ select 1')).toBe(true);
    expect(isQuery('WITH x AS (SELECT 1) SELECT * FROM x')).toBe(true);
    expect(isQuery('DESCRIBE cloudconnexa.vpn.users')).toBe(false);
    expect(isQuery('EXPLAIN SELECT 1')).toBe(false);
  });
});

describe('runScript', () => {
  let sim: CloudConnexaSimulator;
  let engine: Engine;
  let cap: ReturnType<typeof captureIO>;
  let state: SessionState;
  let session: Session;

  beforeAll(async () => {
    sim = await startCloudConnexaSimulator({ sessions: 200 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    engine?.close();
    engine = ccEngine(sim, { cache: { ttlSeconds: 300 } });
    cap = captureIO();
    state = initialState();
    session = new Session(engine, state, cap.io);
    sim.resetLog();
  });

  const run = (text: string, continueOnError = false) => runScript(parseScript(text, 't.sql'), session, { continueOnError });

  it('runs a file of statements and meta-commands in order', async () => {
    const code = await run('-- report\n.output csv\nSELECT count(*) AS n FROM cloudconnexa.vpn.regions;\n.output ndjson\nSELECT 1 AS one;\n');
    expect(code).toBe(0);
    expect(cap.out()).toBe('n\r\n11\r\n{"one":1}\n');
    expect(cap.err()).toBe('');
  });

  it('.timing shows time, API calls and cache hits; a repeated fetch comes from the cache', async () => {
    const code = await run('.timing on\nSELECT count(*) FROM cloudconnexa.vpn.regions;\nSELECT count(*) FROM cloudconnexa.vpn.regions;');
    expect(code).toBe(0);
    const lines = cap.err().trim().split('\n');
    expect(lines[0]).toMatch(/^Time: \d+\.\d{3} s · fetches: 1 \(0 from cache\) · requests: 1 · pages: 1 · rows fetched: 11$/);
    expect(lines[1]).toMatch(/fetches: 1 \(1 from cache\) · requests: 0/);
    expect(apiRequests(sim.requests, '/api/v1/regions')).toHaveLength(1);
  });

  it('.cache off|on|clear|ttl and its status line', async () => {
    await run('.cache ttl 42\n.cache\n.cache off');
    expect(engine.cache.ttlMs).toBe(42_000);
    expect(engine.cache.enabled).toBe(false);
    expect(cap.out()).toBe('cache: on, ttl 42 s, 0 fetches cached\n');
    await run('SELECT count(*) FROM cloudconnexa.vpn.regions; SELECT count(*) FROM cloudconnexa.vpn.regions;');
    expect(apiRequests(sim.requests, '/api/v1/regions')).toHaveLength(2);
    await run('.cache on\nSELECT count(*) FROM cloudconnexa.vpn.regions;\n.cache clear\nSELECT count(*) FROM cloudconnexa.vpn.regions;');
    expect(apiRequests(sim.requests, '/api/v1/regions')).toHaveLength(4);
    expect(cap.err()).toContain('cache cleared (1 fetch)');
  });

  it('.set / .vars / .unset: template variables are applied to each statement', async () => {
    const code = await run(
      ".set st ACTIVE\n.set label 'it''s'\n.vars\nSELECT count(*) AS n, {{label}} AS l FROM cloudconnexa.vpn.sessions WHERE status = {{ st }};",
    );
    expect(code).toBe(0);
    expect(state.vars).toEqual({ st: 'ACTIVE', label: "it's" });
    expect(cap.out()).toMatch(/│ st\s+│ ACTIVE │/);
    expect(cap.out()).toContain("it's");
    expect(apiRequests(sim.requests, /sessions$/).every((r) => r.query.status === 'ACTIVE')).toBe(true);
    const missing = await run('.unset st\nSELECT {{st}};');
    expect(missing).toBe(2);
    expect(cap.err()).toContain('error[MISSING_TEMPLATE_VARIABLE]: no value for template variable st');
  });

  it('.explain on prints the plan instead of running the query (no API call)', async () => {
    const code = await run(".explain on\nSELECT * FROM cloudconnexa.vpn.sessions WHERE status IN ('ACTIVE', 'FAILED');\nSHOW PROVIDERS;");
    expect(code).toBe(0);
    expect(cap.out()).toContain('status=FAILED');
    expect(cap.out()).toContain('cloudconnexa');
    expect(sim.requests).toHaveLength(0);
  });

  it('.tables, .describe, .help, .output (no argument), .quit', async () => {
    const code = await run('.tables vpn.u*\n.describe cloudconnexa.vpn.users\n.help\n.output\n.quit\nSELECT 1;');
    expect(code).toBe(0);
    const out = cap.out();
    expect(out).toMatch(/cloudconnexa\.vpn\.user_groups[\s\S]*cloudconnexa\.vpn\.users/);
    expect(out).not.toContain('cloudconnexa.vpn.sessions');
    expect(out).toContain('username');
    expect(out).toContain('.describe <table>');
    expect(out).toContain('output: table');
    expect(out).not.toContain('│ 1 │');
    expect(session.quit).toBe(true);
  });

  it('stops at the first failure and returns its exit code (2: the user, 1: runtime)', async () => {
    expect(await run('SELECT 1 AS a;\nSELEC 2;\nSELECT 3 AS c;')).toBe(2);
    expect(cap.out()).toContain('│ a │');
    expect(cap.out()).not.toContain('│ c │');
    expect(cap.err()).toMatch(/error\[SQL_SYNTAX\]/);
    sim.injectFault({ path: '/api/v1/regions', status: 403 });
    expect(await run('SELECT * FROM cloudconnexa.vpn.regions;\nSELECT 3 AS c;')).toBe(1);
    expect(cap.out()).not.toContain('│ c │');
  });

  it('--continue-on-error runs the rest; the exit code is the first failure', async () => {
    sim.injectFault({ path: '/api/v1/regions', status: 403 });
    const code = await run('SELECT * FROM cloudconnexa.vpn.regions;\n.nope\nSELECT 3 AS c;', true);
    expect(code).toBe(1);
    expect(cap.out()).toContain('│ c │');
    expect(cap.err()).toContain("unknown meta-command '.nope'");
  });

  it('meta-command usage errors are user errors (exit 2)', async () => {
    expect(await run('.timing maybe')).toBe(2);
    expect(await run('.output yaml')).toBe(2);
    expect(await run('.cache ttl soon')).toBe(2);
    expect(await run('.set 1x y')).toBe(2);
    expect(cap.err()).toContain('hint: usage: .timing on|off');
  });

  it('meta-commands refuse arguments they do not take', async () => {
    expect(await run('.timing on foo')).toBe(2);
    expect(await run('.help me')).toBe(2);
    expect(await run('.describe')).toBe(2);
    expect(cap.err()).toContain(".timing takes at most 1 argument, not 'on foo'");
    expect(cap.err()).toContain('.help takes no arguments');
    expect(cap.err()).toContain('.describe needs an argument');
    expect(state.timing).toBe(false);
  });

  it('.mode sets the format; .output FILE sends results to the file until .output; .once FILE for one statement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessql-meta-'));
    const all = join(dir, 'all.csv');
    const one = join(dir, 'one.csv');
    const code = await run(`.mode csv\n.output ${all}\nSELECT 1 AS a;\nSELECT 2 AS b;\n.output\n.once ${one}\nSELECT 3 AS c;\nSELECT 4 AS d;\n`);
    expect(code).toBe(0);
    expect(readFileSync(all, 'utf8')).toBe('a\r\n1\r\nb\r\n2\r\n');
    expect(readFileSync(one, 'utf8')).toBe('c\r\n3\r\n');
    expect(cap.out()).toBe('d\r\n4\r\n');
  });

  it('.read FILE runs its statements and meta-commands in this session; an error names the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessql-read-'));
    const file = join(dir, 'part.sql');
    writeFileSync(file, '.mode csv\nSELECT 1 AS a;\n');
    expect(await run(`.read ${file}\nSELECT 2 AS b;`)).toBe(0);
    expect(cap.out()).toBe('a\r\n1\r\nb\r\n2\r\n');
    writeFileSync(file, 'SELECT 1 AS a;\nSELEC 2;\n');
    expect(await run(`.read ${file}`)).toBe(2);
    expect(cap.err()).toContain(`${file}:2:`);
    expect(await run(`.read ${join(dir, 'missing.sql')}`)).toBe(2);
  });

  it('.headers off drops the header of CSV and tables; \\x shows records vertically', async () => {
    expect(await run(".headers off\n.mode csv\nSELECT 1 AS a, 'x' AS b;\n.mode table\nSELECT 2 AS a;\n")).toBe(0);
    expect(cap.out()).toMatch(/^1,x\r\n/);
    expect(cap.out()).not.toMatch(/│ a │/);
    expect(cap.out()).toContain('│ 2 │');
    const v = captureIO();
    const s = new Session(engine, initialState(), v.io);
    await runScript(parseScript('\\x\nSELECT 1 AS first, NULL AS second;\n.vertical off\nSELECT 5 AS z;'), s);
    expect(v.out()).toMatch(/-\[ row 1 \]-*\nfirst\s+\| 1\nsecond\s+\| NULL\n1 row\n/);
    expect(v.out()).toContain('│ z │');
  });

  it('.schema shows a CREATE TABLE view; .describe takes a unique short name', async () => {
    expect(await run('.schema regions\n.describe connectors')).toBe(0);
    expect(cap.out()).toMatch(/^CREATE TABLE cloudconnexa\.vpn\.regions \(\n  id TEXT,\s+-- /);
    expect(cap.out()).toContain('networkItemId');
    expect(await run('.describe nosuchtable')).toBe(2);
    expect(cap.err()).toContain("no table named 'nosuchtable'");
  });

  it('.schema of sessions lists the Terraform names with the API fields they read', async () => {
    expect(await run('.schema cloudconnexa.vpn.sessions')).toBe(0);
    expect(cap.out()).toMatch(/client_ip TEXT,\s+-- Terraform's name for publicIp\. \(API field publicIp or clientIp or client_ip\)/);
    expect(cap.out()).toMatch(/startDate TEXT,\s+-- parameter \(optional\)/);
  });

  it('tables fit the terminal: long cells are cut, NULL stays visible', async () => {
    const narrow = captureIO(40);
    const s = new Session(engine, initialState(), narrow.io);
    await runScript(parseScript("SELECT 'a fairly long value, longer than the terminal' AS v, NULL AS z;"), s);
    const out = narrow.out();
    expect(out).toMatch(/│ a fairly long.*… │ NULL │/);
    expect(out.split('\n').every((l) => [...l].length <= 40)).toBe(true);
  });

  it('tables that cannot fit even when cut are shown vertically', async () => {
    const narrow = captureIO(40);
    const s = new Session(engine, initialState(), narrow.io);
    await runScript(parseScript("SELECT 'a fairly long value here' AS first_column, NULL AS second_column, 3 AS c3, 4 AS c4, 5 AS c5;"), s);
    const out = narrow.out();
    expect(out).toContain('-[ row 1 ]');
    expect(out).toMatch(/second_column \| NULL/);
    expect(out).toMatch(/first_column\s+\| a fairly long value here/);
    expect(out.split('\n').every((l) => [...l].length <= 40)).toBe(true);
  });
});
