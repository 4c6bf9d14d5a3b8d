// The shell on a real pseudo-terminal (util-linux `script`, else python3's pty module): `sessql`
// with no arguments on a terminal starts it; a slow fetch shows the progress line, Ctrl-C
// cancels it without leaving the shell, the next statement works, Ctrl-D exits with 0.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { ROOT } from '../helpers/cli.js';
import { waitFor } from '../helpers/session-io.js';

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
const hasScript = spawnSync('script', ['--version']).status === 0;
const hasPython = spawnSync('python3', ['-c', 'import pty']).status === 0;

/** Runs a command on a new pseudo-terminal; our pipe feeds its keyboard and reads its screen. */
function onPty(argv: string[], env: Record<string, string>): ChildProcess {
  const opts = { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', ...env } };
  if (hasScript) return spawn('script', ['-qfec', argv.map(quote).join(' '), '/dev/null'], opts);
  return spawn('python3', ['-c', 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', ...argv], opts);
}

describe.skipIf(!hasScript && !hasPython)('shell on a pseudo-terminal', () => {
  let sim: CloudConnexaSimulator;
  beforeAll(async () => {
    sim = await startCloudConnexaSimulator({ sessions: 50 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('progress line, Ctrl-C cancels the slow statement, the next one works, Ctrl-D exits', async () => {
    sim.injectFault({ path: '/api/v1/users', status: 200, delayMs: 30_000 });
    const state = mkdtempSync(join(tmpdir(), 'sessql-pty-'));
    const child = onPty([process.execPath, join(ROOT, 'bin/sessql.js')], {
      CLOUDCONNEXA_BASE_URL: sim.url,
      CLOUDCONNEXA_CLIENT_ID: sim.clientId,
      CLOUDCONNEXA_CLIENT_SECRET: sim.clientSecret,
      XDG_STATE_HOME: state,
      NO_COLOR: '1',
    });
    let screen = '';
    child.stdout!.on('data', (d) => (screen += d));
    child.stderr!.on('data', (d) => (screen += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor(() => screen.includes('sessql> '), 'the prompt', 15_000);
      child.stdin!.write('SELECT count(*) AS users\r FROM cloudconnexa.vpn.users;\r');
      await waitFor(() => /⋯ cloudconnexa\.vpn\.users: \d+ requests?, 0 pages, 0 rows, 1\.\d s/.test(screen), 'the progress line');
      child.stdin!.write('\u0003');
      await waitFor(() => screen.includes('^C cancelled'), 'the cancellation');
      expect(screen).toMatch(/\r\u001b\[2K\^C cancelled/); // the progress line was erased first
      child.stdin!.write('SELECT count(*) AS n FROM cloudconnexa.vpn.regions;\r');
      await waitFor(() => /│\s+11 │/.test(screen), 'the next result');
      child.stdin!.write('\u0004');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    expect(screen).not.toContain('error[');
    const history = join(state, 'sessql', 'history');
    expect(existsSync(history)).toBe(true);
    expect(readFileSync(history, 'utf8')).toBe(
      'SELECT count(*) AS users FROM cloudconnexa.vpn.users;\nSELECT count(*) AS n FROM cloudconnexa.vpn.regions;\n',
    );
  });
});
