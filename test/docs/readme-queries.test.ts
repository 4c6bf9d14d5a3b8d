// Every query the README and examples/ show returns rows against --demo: the ```sql blocks, the
// statements of the shell examples (`sq "…"`, `exec "…"`), the SQL in table cells and in the
// program example, and the example files. A query that silently answers nothing in the demo
// (fixed dates outside the data's window, a mixed-up column) fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const SLOW = 180_000;

/** The SQL statements a Markdown text shows: code blocks, shell arguments, table cells, program calls. */
export function markdownQueries(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/```sql\n([\s\S]*?)```/g)) out.push(m[1]);
  for (const m of md.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const q of m[1].matchAll(/(?:\bsq|\bexec)\s+"((?:[^"\\]|\\.)*)"/g)) out.push(q[1]);
  }
  for (const m of md.matchAll(/^\|.*\|\s*`((?:SELECT|WITH|SHOW|DESCRIBE)\b[^`]*)`\s*\|$/gm)) out.push(m[1]);
  for (const m of md.matchAll(/engine\.query\("([^"]*)"\)/g)) out.push(m[1]);
  return out.map((q) => q.trim().replace(/;$/, '')).filter((q) => !/^EXEC\b/i.test(q)); // EXEC methods write (disconnect sessions): not run here
}

/** Splits `-o json` output (one array per statement, pretty-printed: a top-level array closes with `]` at column 0). */
function jsonArrays(text: string): unknown[][] {
  const arrays: unknown[][] = [];
  let start = 0;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line !== ']' && line !== '[]') return;
    arrays.push(JSON.parse(lines.slice(start, i + 1).join('\n')) as unknown[]);
    start = i + 1;
  });
  return arrays;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('README and examples/ queries return rows in --demo', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const examples = readFileSync(join(ROOT, 'examples/README.md'), 'utf8');
  const queries = [...markdownQueries(readme), ...markdownQueries(examples)];

  it('finds the README queries (the extraction itself works)', () => {
    expect(queries.length).toBeGreaterThan(12);
    expect(queries).toContain("SELECT DISTINCT user_name FROM cloudconnexa.vpn.sessions WHERE connection_status = 'ACTIVE'");
  });

  it(
    'each of them, and each example file, returns at least one row',
    async () => {
      const now = Date.now();
      const vars = ['--vars-file', 'examples/demo-vars.yaml', '--var', `start_date=${iso(now - 7 * 86_400_000)}`, '--var', `end_date=${iso(now)}`];
      const [run, bastion, report] = await Promise.all([
        runCli(['--demo', 'exec', '-o', 'json', ...vars, ...queries], { timeoutMs: SLOW }),
        runCli(['--demo', 'exec', '-o', 'json', '-f', 'examples/bastion-sessions.sql', ...vars], { timeoutMs: SLOW }),
        runCli(['--demo', 'report', '-o', 'md', '-f', 'examples/inventory.sql'], { timeoutMs: SLOW }),
      ]);
      expect(run.code, run.stderr).toBe(0);
      const results = jsonArrays(run.stdout);
      expect(results).toHaveLength(queries.length);
      const empty = queries.filter((_, i) => results[i].length === 0);
      expect(empty).toEqual([]);

      expect(bastion.code, bastion.stderr).toBe(0);
      expect(jsonArrays(bastion.stdout)[0].length).toBeGreaterThan(0);

      // every report section has rows (an empty result reads "_0 rows._")
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout).not.toMatch(/^_0 rows\._$/m);
      expect(report.stdout.match(/^## /gm)?.length).toBe(8);
    },
    SLOW,
  );
});
