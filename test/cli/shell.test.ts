// The REPL driven in-process through a terminal-mode readline over PassThrough streams: multi-line
// and pasted input, meta-commands, Ctrl-C during a slow fetch, Ctrl-C/Ctrl-D at the prompt,
// completion, Ctrl-R search and the history file. Against the CloudConnexa simulator.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { complete } from '../../src/cli/shell/complete.js';
import { History, historyPath, oneLine } from '../../src/cli/shell/history.js';
import { engineCompletions, Repl } from '../../src/cli/shell/repl.js';
import { initialState, Session } from '../../src/cli/runner/session.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { apiRequests, ccEngine } from '../helpers/engines.js';
import { captureIO, waitFor } from '../helpers/session-io.js';

let sim: CloudConnexaSimulator;
const engines: Engine[] = [];

beforeAll(async () => {
  sim = await startCloudConnexaSimulator({ sessions: 200 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  while (engines.length) engines.pop()!.close();
});

function shell(history?: History) {
  const engine = ccEngine(sim, { cache: { ttlSeconds: 300 } });
  engines.push(engine);
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (d) => (screen += d));
  const cap = captureIO();
  const session = new Session(engine, initialState(), cap.io);
  let ended = false;
  const done = new Repl({ input, output, session, history, terminal: true }).run().then(() => {
    ended = true;
  });
  return {
    type: (s: string) => void input.write(s),
    screen: () => screen,
    out: cap.out,
    err: cap.err,
    ended: () => ended,
    done,
    session,
  };
}

describe('shell (in-process terminal)', () => {
  it('buffers lines until ; and shows the continuation prompt; pasted text never runs early', async () => {
    const sh = shell();
    sh.type('SELECT count(*) AS n\r');
    await waitFor(() => sh.screen().includes('   ...> '), 'the continuation prompt');
    expect(sh.out()).toBe('');
    sh.type('FROM cloudconnexa.vpn.regions;\r');
    await waitFor(() => sh.out().includes('11'), 'the first result');
    // a paste: several lines in one chunk, the last statement not yet ended
    sh.type('\u001b[200~SELECT 1 AS a;\rSELECT\r\t2 AS b\r;\rSELECT 3\r  AS c\r\u001b[201~');
    await waitFor(() => sh.out().includes('│ b │'), 'the pasted statements');
    expect(sh.out().indexOf('│ a │')).toBeLessThan(sh.out().indexOf('│ b │'));
    await new Promise((r) => setTimeout(r, 50));
    expect(sh.out()).not.toContain('│ c │');
    sh.type(';\r');
    await waitFor(() => sh.out().includes('│ c │'), 'the statement ended by ;');
    sh.type('.quit\r');
    await sh.done;
  });

  it('meta-commands work in the shell', async () => {
    const sh = shell();
    sh.type('.timing on\r.output csv\rSELECT count(*) AS n FROM cloudconnexa.vpn.regions;\r');
    await waitFor(() => sh.err().includes('Time:'), 'the timing line');
    expect(sh.out()).toBe('n\r\n11\r\n');
    sh.type('.nope\r');
    await waitFor(() => sh.err().includes("unknown meta-command '.nope'"), 'the error');
    expect(sh.ended()).toBe(false);
    sh.type('.exit\r');
    await sh.done;
  });

  it('Ctrl-C cancels a slow fetch (aborting its request), the shell stays, the next statement works', async () => {
    const sh = shell();
    sim.resetLog();
    sim.injectFault({ path: '/api/v1/users', status: 200, delayMs: 30_000 });
    sh.type('SELECT count(*) AS users FROM cloudconnexa.vpn.users;\r');
    await waitFor(() => apiRequests(sim.requests, '/api/v1/users').length > 0, 'the slow request');
    const pressed = Date.now();
    sh.type('\u0003');
    await waitFor(() => sh.err().includes('^C cancelled'), 'the cancellation');
    expect(Date.now() - pressed).toBeLessThan(5000);
    expect(sh.err()).not.toContain('error[');
    expect(sh.out()).not.toContain('users');
    sh.type('SELECT count(*) AS n FROM cloudconnexa.vpn.regions;\r');
    await waitFor(() => sh.out().includes('11'), 'the next statement');
    expect(sh.ended()).toBe(false);
    sh.type('\u0004');
    await sh.done;
  });

  it('Ctrl-C at the prompt clears the statement being typed; twice at an empty prompt exits', async () => {
    const sh = shell();
    sh.type('SELECT 1\r');
    await waitFor(() => sh.screen().includes('   ...> '), 'the continuation prompt');
    sh.type('AS x\u0003');
    await waitFor(() => sh.screen().includes('^C'), 'the ^C mark');
    sh.type('SELECT 2 AS two;\r');
    await waitFor(() => sh.out().includes('two'), 'a fresh statement');
    expect(sh.err()).toBe('');
    sh.type('\u0003');
    await waitFor(() => sh.screen().includes('press Ctrl-C again'), 'the exit hint');
    expect(sh.ended()).toBe(false);
    sh.type('\u0003');
    await sh.done;
  });

  it('Tab completes table names and the columns of tables named in the statement', async () => {
    const sh = shell();
    sh.type('SELECT count(*) AS n FROM cloudconnexa.vpn.sess');
    sh.type('\t');
    await waitFor(() => sh.screen().includes('cloudconnexa.vpn.sessions'), 'the table name');
    sh.type(' s\r');
    sh.type('WHERE s.userN');
    sh.type('\t');
    await waitFor(() => sh.screen().includes('s.userName'), 'the column');
    sh.type(' IS NOT NULL;\r');
    await waitFor(() => /│\s+n │/.test(sh.out()), 'the completed statement');
    expect(sh.err()).toMatch(/^warning: cloudconnexa\.vpn\.sessions: no time bound[^\n]*\n$/);
    sh.type('.quit\r');
    await sh.done;
  });

  it('Ctrl-R finds an earlier statement; Enter runs it', async () => {
    const history = new History(undefined);
    history.add('SELECT 41 + 1 AS answer;');
    history.add('SELECT 0 AS other;');
    const sh = shell(history);
    sh.type('\u0012');
    await waitFor(() => sh.screen().includes('(reverse-i-search)'), 'the search prompt');
    sh.type('answ');
    await waitFor(() => sh.screen().includes("`answ': SELECT 41 + 1 AS answer;"), 'the match');
    sh.type('\r');
    await waitFor(() => sh.out().includes('42'), 'the recalled statement');
    expect(sh.out()).not.toContain('other');
    sh.type('.quit\r');
    await sh.done;
  });

  it('history: one line per statement, appended to the file, loaded again', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sessql-hist-')), 'sessql', 'history');
    const history = new History(file);
    const sh = shell(history);
    sh.type('SELECT 5 AS five -- five\r  , 6 AS six;\r.timing on\r');
    await waitFor(() => sh.out().includes('six'), 'the result');
    sh.type('.quit\r');
    await sh.done;
    expect(readFileSync(file, 'utf8')).toBe('SELECT 5 AS five /* five */ , 6 AS six;\n.timing on\n.quit\n');
    const again = new History(file);
    again.load();
    expect(again.entries).toEqual(['.quit', '.timing on', 'SELECT 5 AS five /* five */ , 6 AS six;']);
  });
});

describe('completion', () => {
  let src: ReturnType<typeof engineCompletions>;
  beforeAll(() => {
    const engine = ccEngine(sim);
    src = engineCompletions(engine);
  });
  const c = (before: string, pending = '', line = before) => complete(before, pending, line, src);

  it.each([
    ['SELECT * FROM cloud', ['cloudconnexa.']],
    ['SELECT * FROM cloudconnexa.vpn.u', ['cloudconnexa.vpn.user_groups', 'cloudconnexa.vpn.users']],
    ['DESCRIBE azure.n', ['azure.network.']],
    ['sel', ['select']],
    ['SEL', ['SELECT']],
    ["SELECT * FROM cloudconnexa.vpn.sessions WHERE status = 'AC", []],
    ['SELECT * FROM cloudconnexa.vpn.sessions -- userN', []],
    ['.ta', ['.tables']],
    ['.output c', ['csv']],
    ['.describe cloudconnexa.vpn.r', ['cloudconnexa.vpn.regions']],
    ['.timing o', ['on', 'off']],
  ])('%s → %j', (before, expected) => {
    expect(c(before)[0]).toEqual(expected);
  });

  it('columns of the tables named anywhere in the statement, with parameters and their aliases', () => {
    expect(c('SELECT userN', '', 'SELECT userN FROM cloudconnexa.vpn.sessions')[0]).toEqual(['userName']);
    const azure = c('SELECT * FROM azure.network.active_sessions WHERE resource_g')[0];
    expect(azure).toContain('resource_group_name');
    expect(c('WHERE u.em', 'SELECT * FROM cloudconnexa.vpn.users AS u\n')[0]).toEqual(['u.email']);
    expect(c('WHERE users.em', 'SELECT * FROM cloudconnexa.vpn.users\n')[0]).toEqual(['users.email']);
  });
});

describe('history helpers', () => {
  it('the file lives in XDG_STATE_HOME (absolute only), else ~/.local/state', () => {
    expect(historyPath({ XDG_STATE_HOME: '/x/state' }, '/home/u')).toBe('/x/state/sessql/history');
    expect(historyPath({ XDG_STATE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.local/state/sessql/history');
    expect(historyPath({}, '/home/u')).toBe('/home/u/.local/state/sessql/history');
  });

  it('oneLine keeps the SQL meaning: -- comments become /* */, strings are untouched', () => {
    expect(oneLine("SELECT 'a -- b'\n  -- why\nFROM t;")).toBe("SELECT 'a -- b' /* why */ FROM t;");
  });

  it('caps the entries and skips repeats and blanks', () => {
    const h = new History(undefined, { cap: 2 });
    for (const e of ['a', 'a', ' ', 'b', 'c']) h.add(e);
    expect(h.entries).toEqual(['c', 'b']);
  });
});
