// `sessql sync` as a process: kill -9 at any moment then resume leaves history exact, two syncs
// at once neither corrupt nor double, --every stops cleanly on SIGTERM, a failed table exits 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { openHistoryStore } from '../../src/history/open.js';
import { HistorySource } from '../../src/history/source.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { BACKENDS, freshTarget } from './targets.js';

const S = 'cloudconnexa.vpn.sessions';
const COLS = 'id, userName, status, sessionStartTime, sessionEndTime, bytesIn, bytesOut, region';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

interface Child {
  proc: ChildProcess;
  stderr: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function sync(sim: CloudConnexaSimulator, args: string[]): Child {
  const proc = spawn(process.execPath, [`${ROOT}/bin/sessql.js`, 'sync', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      CLOUDCONNEXA_BASE_URL: sim.url,
      CLOUDCONNEXA_CLIENT_ID: sim.clientId,
      CLOUDCONNEXA_CLIENT_SECRET: sim.clientSecret,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal })),
  );
  const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  cleanup.push(() => {
    clearTimeout(timer);
    proc.kill('SIGKILL');
  });
  return { proc, stderr: () => err, done };
}

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function sim(opts: Parameters<typeof startCloudConnexaSimulator>[0] = {}): Promise<CloudConnexaSimulator> {
  const s = await startCloudConnexaSimulator({ seed: 5, sessions: 1500, historyDays: 7, latencyMs: 8, ...opts });
  cleanup.push(() => s.close());
  return s;
}

const sessionCalls = (s: CloudConnexaSimulator) => s.requests.filter((r) => r.path === '/api/v1/sessions').length;

/** History rows (sorted) and the live API's rows for everything it keeps. */
async function compare(s: CloudConnexaSimulator, url: string): Promise<{ history: string[]; live: string[] }> {
  const hist = createEngine({ env: {}, history: new HistorySource(await openHistoryStore(url)) });
  const live = createEngine({
    env: {},
    cache: false,
    now: () => s.now(),
    config: { cloudconnexa: { baseUrl: s.url, clientId: s.clientId, clientSecret: s.clientSecret } },
  });
  try {
    const since = new Date(s.now() - 29 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const h = await hist.query(`SELECT ${COLS} FROM ${S}`);
    const l = await live.query(`SELECT ${COLS} FROM ${S} WHERE startDate = '${since}'`);
    const key = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    return { history: key(h.rows), live: key(l.rows) };
  } finally {
    hist.close();
    live.close();
  }
}

async function historyCount(url: string): Promise<number> {
  const hist = createEngine({ env: {}, history: new HistorySource(await openHistoryStore(url)) });
  try {
    return (await hist.query(`SELECT count(*) FROM ${S}`)).rows[0][0] as number;
  } catch {
    return 0; // not synced yet
  } finally {
    hist.close();
  }
}

describe.each(BACKENDS)('sessql sync into %s', (backend) => {
  it('kill -9 in the middle, then resume: nothing lost, nothing doubled', async () => {
    const s = await sim();
    const url = await freshTarget(backend);
    // killed while fetching the backfill: nothing is committed
    const a = sync(s, ['--db', url, S]);
    await until(() => sessionCalls(s) >= 12);
    a.proc.kill('SIGKILL');
    expect((await a.done).signal).toBe('SIGKILL');
    expect(await historyCount(url)).toBe(0);
    // the next sync backfills whole
    const b = sync(s, ['--db', url, S]);
    expect((await b.done).code).toBe(0);
    expect(b.stderr()).toMatch(/cloudconnexa.vpn.sessions: 1500 new, 0 updated/);

    // time passes; an incremental sync is killed at its first request, or just after it
    s.advance(60_000, { newSessions: 40, endActive: 0.5 });
    for (const delay of [0, 15, 40]) {
      const before = sessionCalls(s);
      const c = sync(s, ['--db', url, S]);
      await until(() => sessionCalls(s) > before);
      await new Promise((r) => setTimeout(r, delay));
      c.proc.kill('SIGKILL');
      await c.done;
    }
    const d = sync(s, ['--db', url, S]);
    expect((await d.done).code).toBe(0);
    const { history, live } = await compare(s, url);
    expect(history.length).toBe(1540);
    expect(history).toEqual(live);
  }, 60_000);

  it('two syncs of one table at once: the second waits, the history is exact', async () => {
    const s = await sim();
    const url = await freshTarget(backend);
    // the first sync's first request takes 3 s: it holds the table while the second starts
    s.injectFault({ path: '/api/v1/sessions', status: 200, delayMs: 3000, times: 1 });
    const first = sync(s, ['--db', url, S]);
    await until(() => sessionCalls(s) >= 1);
    const second = sync(s, ['--db', url, S]);
    const [r1, r2] = await Promise.all([first.done, second.done]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    expect(second.stderr()).toMatch(/waiting: another sync .* holds this table/);
    expect(second.stderr()).toMatch(/cloudconnexa.vpn.sessions: 0 new, 0 updated/);
    const { history, live } = await compare(s, url);
    expect(history.length).toBe(1500);
    expect(history).toEqual(live);
  }, 60_000);
});

describe('sessql sync, the command', () => {
  it('--every repeats until SIGTERM, which ends with exit 0', async () => {
    const s = await sim({ sessions: 50, latencyMs: 0 });
    const url = await freshTarget('sqlite');
    const c = sync(s, ['--db', url, '--every', '300ms', 'cloudconnexa.vpn.regions']);
    await until(() => (c.stderr().match(/cloudconnexa.vpn.regions: /g) ?? []).length >= 2);
    c.proc.kill('SIGTERM');
    expect((await c.done).code).toBe(0);
    expect(c.stderr()).toMatch(/cloudconnexa.vpn.regions: 11 new, 0 updated, 0 gone, 1 requests/);
    expect(c.stderr()).toMatch(/cloudconnexa.vpn.regions: 0 new, 0 updated, 0 gone, 1 requests/);
  });

  it('a failed table exits 1, names the failure, and the other tables still sync', async () => {
    const s = await sim({ sessions: 50, latencyMs: 0 });
    s.injectFault({ path: '/api/v1/users', status: 403, times: 100 });
    const url = await freshTarget('sqlite');
    const c = sync(s, ['--db', url, 'cloudconnexa.vpn.users', 'cloudconnexa.vpn.regions']);
    expect((await c.done).code).toBe(1);
    expect(c.stderr()).toMatch(/cloudconnexa.vpn.users: FAILED .*error\[FORBIDDEN\]/);
    expect(c.stderr()).toMatch(/cloudconnexa.vpn.regions: 11 new/);
    expect(c.stderr()).toMatch(/run: 1 of 2 tables failed: cloudconnexa.vpn.users/);
  });

  it('a policy file and a report run unchanged over history (--demo sync, then check/report --db)', async () => {
    const url = await freshTarget('sqlite');
    const synced = await runCli(['--demo', 'sync', '--db', url], { timeoutMs: 60_000 });
    expect(synced.code).toBe(0);
    expect(synced.stderr).toMatch(/sync cloudconnexa.vpn.sessions: 600 new/);
    const verdicts = (out: string) =>
      out
        .split('\n')
        .filter((l) => /^(PASS|FAIL) /.test(l))
        .map((l) => l.replace(/\s+\(.*\)$/, ''));
    const history = await runCli(['check', '--db', url, '-f', 'examples/policy.sql']);
    const live = await runCli(['--demo', 'check', '-f', 'examples/policy.sql']);
    expect(history.code).toBe(live.code);
    expect(verdicts(history.stdout + history.stderr)).toHaveLength(5);
    expect(verdicts(history.stdout + history.stderr)).toEqual(verdicts(live.stdout + live.stderr));
    const report = await runCli(['report', '--db', url, '-f', 'examples/inventory.sql', '--format', 'md']);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/^# /m);
  }, 90_000);

  it("--db names a history database that does not exist: the user's fix, nothing is created", async () => {
    const missing = `${await freshTarget('sqlite')}.nope`;
    const r = await runCli(['exec', '--db', missing, 'SELECT count(*) FROM cloudconnexa.vpn.sessions']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[INVALID_OPTION\]: there is no history database at .*\nhint: create it with: sessql sync --db /);
  });

  it("an unknown or unsyncable table is the user's fix (exit 2), before any API call", async () => {
    const s = await sim({ sessions: 50, latencyMs: 0 });
    const c = sync(s, ['--db', await freshTarget('sqlite'), 'cloudconnexa.vpn.nope']);
    expect((await c.done).code).toBe(2);
    expect(c.stderr()).toMatch(/error\[UNKNOWN_TABLE\]/);
    expect(s.requests.length).toBe(0);
  });
});
