// PostgreSQL pushdown must never narrow: whenever SQLite's comparison of a stored canonical
// instant with the literal (as text) holds, the PostgreSQL bound must hold for the instant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantPrefix, pgFilter } from '../../src/history/postgres.js';
import type { Filter } from '../../src/history/store.js';

const col = (type: Filter['column']['type'], caseInsensitive = false): Filter['column'] => ({ name: 'c', type, caseInsensitive, param: false });

function pgHolds(sql: string, params: unknown[], stored: number): boolean {
  // the only shapes pgFilter emits for datetimes: "c" >= $1, "c" < $1, both joined with AND
  return sql.split(' AND ').every((part) => {
    const m = /^"c" (>=|<) \$(\d+)$/.exec(part)!;
    const bound = Date.parse(params[Number(m[2]) - 1] as string);
    return m[1] === '>=' ? stored >= bound : stored < bound;
  });
}

const textCompare: Record<string, (a: string, b: string) => boolean> = {
  '=': (a, b) => a === b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

describe('PostgreSQL pushdown of datetime comparisons', () => {
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) });
  const literal = fc.oneof(
    instant.map((ms) => new Date(ms).toISOString()),
    instant.map((ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')),
    instant.chain((ms) => fc.integer({ min: 4, max: 24 }).map((k) => new Date(ms).toISOString().slice(0, k))),
    instant.map((ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')),
    instant.map((ms) => `${new Date(ms).toISOString().slice(0, 19)}+02:00`),
    fc.string({ maxLength: 12 }),
  );
  it('keeps every row SQLite keeps (property)', () => {
    fc.assert(
      fc.property(instant, literal, fc.constantFrom('=', '>=', '>', '<', '<='), (stored, lit, op) => {
        const s = new Date(stored).toISOString();
        const params: unknown[] = [];
        const sql = pgFilter({ column: col('datetime'), op: op as Filter['op'], values: [lit], text: '' }, (v) => {
          params.push(v);
          return `$${params.length}`;
        });
        if (sql === undefined || !textCompare[op](s, lit)) return true;
        return pgHolds(sql, params, stored);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['2026-11-27', { ms: Date.UTC(2026, 10, 27), unit: 86_400_000 }],
    ['2026-11-27T10', { ms: Date.UTC(2026, 10, 27, 10), unit: 3_600_000 }],
    ['2026-11-27T10:30:15.5Z', { ms: Date.UTC(2026, 10, 27, 10, 30, 15), unit: 1000 }],
    ['2026-11-27 10:30', { ms: Date.UTC(2026, 10, 27), unit: 86_400_000 }],
    ['2026-13-01', undefined],
    ['yesterday', undefined],
  ])('instantPrefix(%s)', (text, expected) => {
    expect(instantPrefix(text)).toEqual(expected);
  });
});

describe('PostgreSQL pushdown of other types', () => {
  const render = (f: Omit<Filter, 'text'>) => pgFilter({ ...f, text: '' }, (v) => JSON.stringify(v));
  it.each([
    [{ column: col('string'), op: '=', values: ['a'] }, '"c" = "a"'],
    [{ column: col('string', true), op: '=', values: ['a'] }, 'lower("c") = lower("a")'],
    [{ column: col('string'), op: '>=', values: ['a'] }, '"c" COLLATE "C" >= "a"'],
    [{ column: col('string', true), op: '>=', values: ['a'] }, undefined],
    [{ column: col('string'), op: '=', values: [5] }, undefined],
    [{ column: col('integer'), op: 'in', values: [1, 2] }, '"c" IN (1, 2)'],
    [{ column: col('integer'), op: '=', values: ['5'] }, undefined],
    [{ column: col('boolean'), op: '=', values: [1] }, '"c" = true'],
    [{ column: col('boolean'), op: '>', values: [0] }, undefined],
    [{ column: col('json'), op: '=', values: ['[]'] }, undefined],
  ] as Array<[Omit<Filter, 'text'>, string | undefined]>)('%j → %s', (f, sql) => {
    expect(render(f)).toBe(sql);
  });
});
