// The shipped examples run against --demo: examples/policy.sql fails two of its five checks on
// purpose (exit 1) and examples/inventory.sql makes a standalone HTML report with charts.
// Slow while the demo's Azure Bastion operations are polled at ARM's default 60 s interval.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findAll, parseXml, textOf } from '../helpers/xml.js';

const dir = mkdtempSync(join(tmpdir(), 'sessql-examples-'));
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
const SLOW = 180_000;

describe('examples/', () => {
  it(
    'policy.sql: 5 checks, 2 fail on the demo data; inventory.sql: an HTML report with charts',
    async () => {
      const junit = join(dir, 'policy.xml');
      const html = join(dir, 'inventory.html');
      const [check, report] = await Promise.all([
        runCli(['--demo', 'check', '-f', 'examples/policy.sql', '--junit', junit], { env, timeoutMs: SLOW }),
        runCli(['--demo', 'report', '-f', 'examples/inventory.sql', '-O', html], { env, timeoutMs: SLOW }),
      ]);

      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(/^FAIL  no VPN sessions from outside the allowed countries/m);
      expect(check.stdout).toMatch(/^FAIL  no suspended or invited users with an active VPN session/m);
      expect(check.stdout).toMatch(/^PASS  no Azure Bastion session open longer than 8 hours/m);
      expect(check.stdout.trimEnd().endsWith('5 checks: 3 passed, 2 failed')).toBe(true);
      const suite = findAll(parseXml(readFileSync(junit, 'utf8')), 'testsuite')[0];
      expect(suite.attrs).toMatchObject({ name: 'examples/policy.sql', tests: '5', failures: '2', errors: '0' });

      expect(report.stderr).toMatch(/wrote .*inventory\.html \(HTML, 8 sections\)/);
      expect(report.code).toBe(0);
      const root = parseXml(readFileSync(html, 'utf8'), { html: true });
      expect(textOf(findAll(root, 'h1')[0])).toBe('Remote-access inventory');
      expect(findAll(root, 'section')).toHaveLength(8);
      expect(findAll(root, 'svg')).toHaveLength(5);
    },
    SLOW,
  );
});
