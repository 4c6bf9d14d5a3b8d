// End-to-end: the CLI as a user runs it — stdout, stderr and exit codes, offline.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { runCli } from '../helpers/cli.js';

const ISSUE_QUERY = "SELECT userName, count(*) AS n FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' GROUP BY userName ORDER BY n DESC";

describe('sessql --demo exec', () => {
  it('runs the README query and prints a table', async () => {
    const r = await runCli(['--demo', 'exec', ISSUE_QUERY]);
    // the query has no time bound: one notice says the API answers with its default window
    expect(r.stderr).toMatch(/^warning: cloudconnexa\.vpn\.sessions: no time bound[^\n]*\n$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/userName\s+│\s+n/);
    expect(r.stdout).toMatch(/\d+ rows\n$/);
  });

  it('--output json: one array of objects per statement; numbers stay numbers; NULL is null', async () => {
    const r = await runCli(['--demo', 'exec', '-o', 'json', `${ISSUE_QUERY} LIMIT 3; SELECT NULL AS nada, 1.5 AS x`]);
    expect(r.code).toBe(0);
    const docs = r.stdout
      .trim()
      .split(/\n(?=\[)/)
      .map((t) => JSON.parse(t));
    expect(docs).toHaveLength(2);
    expect(docs[0]).toHaveLength(3);
    expect(typeof docs[0][0].n).toBe('number');
    expect(docs[1]).toEqual([{ nada: null, x: 1.5 }]);
  });

  it('--output csv is RFC 4180 with a header; NULL is empty', async () => {
    const r = await runCli(['--demo', 'exec', '-o', 'csv', `SELECT 'a,b' AS s, 'say "hi"' AS q, NULL AS z, 3 AS n`]);
    expect(r.stdout).toBe('s,q,z,n\r\n"a,b","say ""hi""",,3\r\n');
  });

  it('--output ndjson and markdown', async () => {
    const nd = await runCli(['--demo', 'exec', '-o', 'ndjson', `SELECT 1 AS a UNION ALL SELECT 2`]);
    expect(nd.stdout).toBe('{"a":1}\n{"a":2}\n');
    const md = await runCli(['--demo', 'exec', '-o', 'markdown', `SELECT 'x|y' AS a, 2 AS b`]);
    expect(md.stdout).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 2 |\n');
  });

  it('runs a file of several statements with comments, and SQL on stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessql-'));
    const file = join(dir, 'q.sql');
    writeFileSync(
      file,
      `-- regions first\nSELECT count(*) AS regions FROM cloudconnexa.vpn.regions;\n/* then; users */\nSELECT count(*) AS users FROM cloudconnexa.vpn.users;\n`,
    );
    const r = await runCli(['--demo', 'exec', '-f', file, '-o', 'ndjson']);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => Object.keys(JSON.parse(l))[0]),
    ).toEqual(['regions', 'users']);
    const s = await runCli(['--demo', 'exec', '-o', 'ndjson'], { input: 'SELECT 42 AS answer;' });
    expect(s.stdout).toBe('{"answer":42}\n');
  });

  it('answers metadata statements', async () => {
    const r = await runCli([
      '--demo',
      'exec',
      '-o',
      'json',
      'SHOW PROVIDERS; SHOW RESOURCES IN cloudconnexa.vpn; DESCRIBE cloudconnexa.vpn.sessions',
    ]);
    const [providers, resources, columns] = r.stdout
      .trim()
      .split(/\n(?=\[)/)
      .map((t) => JSON.parse(t));
    expect(providers.map((p: { name: string }) => p.name)).toEqual(['aws', 'azure', 'boundary', 'cloudconnexa']);
    expect(resources.map((x: { name: string }) => x.name)).toContain('sessions');
    const status = columns.find((c: { name: string }) => c.name === 'status');
    expect(status).toMatchObject({ kind: 'column, parameter', required: 'optional', allowed_values: 'ACTIVE, COMPLETED, FAILED' });
    const start = columns.find((c: { name: string }) => c.name === 'startDate');
    expect(start.description).toMatch(/30 days/);
  });

  it('EXPLAIN prints the plan without calling the API', async () => {
    const r = await runCli(['exec', "EXPLAIN SELECT * FROM cloudconnexa.vpn.sessions WHERE status IN ('ACTIVE','FAILED') AND userName LIKE 'a%'"], {
      env: { CLOUDCONNEXA_BASE_URL: 'https://unreachable.invalid', CLOUDCONNEXA_CLIENT_ID: 'x', CLOUDCONNEXA_CLIENT_SECRET: 'y' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('status=ACTIVE');
    expect(r.stdout).toContain('status=FAILED');
    expect(r.stdout).toMatch(/not pushed.*userName LIKE/);
  });
});

describe('templates, dry runs, writes and partial results', () => {
  const vars = [
    '--var',
    'subscriptionId=f5b243e1-4ad9-4de9-b117-bc0f0168473b',
    '--var',
    'resourceGroupName=rg-core',
    '--var',
    'bastionHostName=bastion-core',
  ];

  it('runs the stackql seed query as written with --var values', async () => {
    const r = await runCli(['--demo', 'exec', '-f', 'examples/bastion-sessions.sql', '-o', 'json', ...vars]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0])).toEqual([
      'protocol',
      'resourceType',
      'sessionDurationInMins',
      'sessionId',
      'startTime',
      'targetHostName',
      'targetIpAddress',
      'targetResourceGroup',
      'targetResourceId',
      'targetSubscriptionId',
      'userName',
    ]);
    const fromFile = await runCli(['--demo', 'exec', '-f', 'examples/bastion-sessions.sql', '-o', 'json', '--vars-file', 'examples/demo-vars.yaml']);
    // startTime moves with the simulator's clock; everything else is the same data
    const strip = (xs: Array<Record<string, unknown>>) => xs.map(({ startTime: _, ...rest }) => rest);
    expect(strip(JSON.parse(fromFile.stdout))).toEqual(strip(rows));
  });

  it('lists every missing template variable', async () => {
    const r = await runCli(['--demo', 'exec', '-f', 'examples/bastion-sessions.sql', '--var', 'bastionHostName=x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[MISSING_TEMPLATE_VARIABLE\]: .*resourceGroupName, subscriptionId/);
  });

  it('keeps a substituted value inside its string literal', async () => {
    const r = await runCli(['--demo', 'exec', '-o', 'json', '--var', "v=x' OR '1'='1", "SELECT '{{ v }}' AS v"]);
    expect(JSON.parse(r.stdout)).toEqual([{ v: "x' OR '1'='1" }]);
  });

  it('--dry-run prints the rendered SQL and the plan, calling nothing', async () => {
    const r = await runCli(['exec', '--dry-run', '-f', 'examples/bastion-sessions.sql', ...vars], {
      env: { AZURE_ACCESS_TOKEN: 'not-used', AZURE_RESOURCE_MANAGER_URL: 'https://unreachable.invalid' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("WHERE resourceGroupName = 'rg-core'");
    expect(r.stdout).toContain(
      'POST /subscriptions/f5b243e1-4ad9-4de9-b117-bc0f0168473b/resourceGroups/rg-core/providers/Microsoft.Network/bastionHosts/bastion-core/getActiveSessions',
    );
  });

  it('EXEC of a write is refused without --allow-writes', async () => {
    const sql =
      "EXEC azure.network.active_sessions.disconnect @subscriptionId='f5b243e1-4ad9-4de9-b117-bc0f0168473b', @resourceGroupName='rg-core', @bastionHostName='bastion-core', @sessionIds='[\"nope\"]'";
    const refused = await runCli(['--demo', 'exec', sql]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error\[WRITE_NOT_ALLOWED\]/);
    const done = await runCli(['--demo', '--allow-writes', 'exec', '-o', 'csv', sql]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^sessionId,state,message\r\nnope,NotFound,/);
  });
});

describe('errors: one clear line on stderr, the right exit code', () => {
  it.each([
    ['a syntax error', ['--demo', 'exec', 'SELEC 1'], 2, 'SQL_SYNTAX'],
    ['an unknown table, with a suggestion', ['--demo', 'exec', 'SELECT * FROM cloudconnexa.vpn.sesions'], 2, 'UNKNOWN_TABLE'],
    ['a value outside an enum', ['--demo', 'exec', "SELECT * FROM cloudconnexa.vpn.sessions WHERE status = 'RUNNING'"], 2, 'INVALID_PARAMETER'],
    ['a write', ['--demo', 'exec', 'DELETE FROM x'], 2, 'READ_ONLY'],
    ['missing credentials', ['exec', 'SELECT * FROM cloudconnexa.vpn.regions'], 2, 'MISSING_CREDENTIALS'],
    ['a bad option', ['exec', '--output', 'xml', 'SELECT 1'], 2, undefined],
  ])('%s', async (_, args, code, errorCode) => {
    const r = await runCli(args);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    if (errorCode) {
      expect(r.stderr).toMatch(new RegExp(`^error\\[${errorCode}\\]: `));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('hints at the closest table name', async () => {
    const r = await runCli(['--demo', 'exec', 'SELECT * FROM cloudconnexa.vpn.sesions']);
    expect(r.stderr).toContain('hint: did you mean cloudconnexa.vpn.sessions?');
  });

  it('names the environment variables when credentials are missing', async () => {
    const r = await runCli(['exec', 'SELECT * FROM cloudconnexa.vpn.regions']);
    expect(r.stderr).toContain('CLOUDCONNEXA_BASE_URL');
  });

  it('refuses plain http for a non-loopback host', async () => {
    const r = await runCli(['exec', 'SELECT * FROM cloudconnexa.vpn.regions'], {
      env: { CLOUDCONNEXA_BASE_URL: 'http://acme.api.openvpn.com', CLOUDCONNEXA_CLIENT_ID: 'x', CLOUDCONNEXA_CLIENT_SECRET: 'y' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[INVALID_CONFIG\]/);
  });

  it('prints a stack trace only with --debug', async () => {
    const r = await runCli(['--debug', '--demo', 'exec', 'SELECT * FROM nosuch.vpn.sessions']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  describe('against a simulator given through the environment', () => {
    let sim: CloudConnexaSimulator;
    beforeAll(async () => {
      sim = await startCloudConnexaSimulator({ seed: 5, sessions: 50 });
    });
    afterAll(async () => sim.close());

    it('uses CLOUDCONNEXA_* variables', async () => {
      const r = await runCli(['exec', '-o', 'csv', 'SELECT count(*) AS n FROM cloudconnexa.vpn.regions'], {
        env: { CLOUDCONNEXA_BASE_URL: sim.url, CLOUDCONNEXA_CLIENT_ID: sim.clientId, CLOUDCONNEXA_CLIENT_SECRET: sim.clientSecret },
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`n\r\n${sim.data.regions.length}\r\n`);
    });

    it('a rejected secret exits 1 and never prints the secret', async () => {
      const secret = 'super-secret-value-123456';
      const r = await runCli(['exec', 'SELECT count(*) FROM cloudconnexa.vpn.regions'], {
        env: { CLOUDCONNEXA_BASE_URL: sim.url, CLOUDCONNEXA_CLIENT_ID: sim.clientId, CLOUDCONNEXA_CLIENT_SECRET: secret },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error\[AUTH_FAILED\]/);
      expect(r.stderr + r.stdout).not.toContain(secret);
    });
  });
});

describe('help', () => {
  it('--help explains commands, credentials and exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('exec');
    expect(r.stdout).toContain('CLOUDCONNEXA_CLIENT_SECRET');
    expect(r.stdout).toContain('Exit codes');
  });
});
