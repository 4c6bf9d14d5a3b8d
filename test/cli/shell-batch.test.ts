// `sessql shell` with stdin that is not a terminal: batch mode through the script runner — no
// prompt, no colour, the same exit codes as exec.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const SCRIPT = '.output csv\nSELECT 1 AS a;\n-- a comment; not a statement\nSELEC 2;\nSELECT 3 AS b;\n';

describe('sessql shell (batch mode)', () => {
  it('reads stdin as a script: no prompt, stops at the first failure with its exit code', async () => {
    const r = await runCli(['--demo', 'shell'], { input: SCRIPT, env: { NO_COLOR: undefined } });
    expect(r.stdout).toBe('a\r\n1\r\n');
    expect(r.stdout).not.toContain('sessql>');
    expect(r.stderr).toMatch(/^error\[SQL_SYNTAX\]: .*\n(hint: .*\n)?  --> <stdin>:4\n$/);
    expect(r.stderr).not.toContain('\u001b[');
    expect(r.code).toBe(2);
  });

  it('--continue-on-error runs the rest; meta-commands and the cache work as in the shell', async () => {
    const input = `${SCRIPT}.timing on\nSELECT count(*) AS n FROM cloudconnexa.vpn.regions;\nSELECT count(*) AS n FROM cloudconnexa.vpn.regions;\n`;
    const r = await runCli(['--demo', 'shell', '--continue-on-error'], { input });
    expect(r.stdout).toBe('a\r\n1\r\nb\r\n3\r\nn\r\n11\r\nn\r\n11\r\n');
    expect(r.stderr).toMatch(/fetches: 1 \(0 from cache\)[^\n]*\n[^\n]*fetches: 1 \(1 from cache\)/);
    expect(r.code).toBe(2);
  });
});
