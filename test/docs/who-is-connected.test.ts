// The README's four-source example (examples/who-is-connected.sql) runs against --demo and answers
// from every source, each with what its API could filter pushed down.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { startDemo, type Demo } from '../../src/simulator/demo.js';
import { runCli } from '../helpers/cli.js';

const sql = readFileSync(new URL('../../examples/who-is-connected.sql', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

let demo: Demo;
beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => demo.close());

describe('who is connected right now, everywhere', () => {
  it('is the query the README shows', () => {
    const body = sql
      .split('\n')
      .filter((l) => !l.startsWith('--'))
      .join('\n')
      .trim();
    expect(readme).toContain(body);
  });

  it('answers from all four sources, newest first', async () => {
    const engine = createEngine({ env: {}, cache: false, config: demo.config });
    try {
      const r = await engine.query(
        sql
          .split('\n')
          .filter((l) => !l.startsWith('--'))
          .join('\n'),
      );
      expect(r.columns).toEqual(['source', 'who', 'target', 'since']);
      expect(new Set(r.rows.map((x) => x[0]))).toEqual(new Set(['cloudconnexa', 'azure', 'boundary', 'aws']));
      const since = r.rows.map((x) => String(x[3]));
      expect([...since].sort().reverse()).toEqual(since);
      const plan = engine.explain(
        sql
          .split('\n')
          .filter((l) => !l.startsWith('--'))
          .join('\n'),
      );
      const pushed = plan.rows.filter((x) => x[0] === 'pushed').map((x) => String(x[2]));
      expect(pushed.some((d) => d.includes('"/item/status" == "active"'))).toBe(true);
      expect(pushed.some((d) => d.includes('{"key":"Status","value":"Connected"}'))).toBe(true);
    } finally {
      engine.close();
    }
  });

  it('runs from the CLI as the README says', async () => {
    const r = await runCli(['--demo', 'exec', '-o', 'csv', '-f', 'examples/who-is-connected.sql']);
    expect(r.code, r.stderr).toBe(0);
    const sources = new Set(
      r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    expect(sources).toEqual(new Set(['cloudconnexa', 'azure', 'boundary', 'aws']));
  });
});
