// Filter parameters filled by pushdown: which predicates go in, in which form, and what stays in
// SQLite. The rule: the API filter may only be as wide as SQL's predicate or wider.
import { describe, expect, it } from 'vitest';
import { filterPushdown, safeUpperBound } from '../../src/plan/filter-expression.js';
import type { ResourceRef } from '../../src/manifest/catalog.js';
import { schemas } from '../../src/manifest/schema.js';
import type { Conjunct } from '../../src/sql/types.js';

const str = (value: string) => ({ kind: 'string' as const, value });
const col = (column: string) => ({ table: null, column });
const eq = (c: string, v: string): Conjunct => ({ kind: 'compare', op: '=', column: col(c), value: str(v), text: `${c} = '${v}'` });
const inList = (c: string, vs: string[]): Conjunct => ({ kind: 'in', column: col(c), values: vs.map(str), text: `${c} IN (…)` });
const cmp = (c: string, op: '>=' | '>' | '<' | '<=', v: string): Conjunct => ({
  kind: 'compare',
  op,
  column: col(c),
  value: str(v),
  text: `${c} ${op} '${v}'`,
});

function resource(
  filter: unknown,
  columns = [
    { name: 'status', type: 'string' },
    { name: 'user', type: 'string', caseInsensitive: true },
    { name: 'started', type: 'datetime' },
  ],
): ResourceRef {
  const spec = schemas().ResourceSpec.parse({ description: 'x', request: { path: '/' }, parameters: { f: { in: 'query', filter } }, columns });
  return { id: 'p.s.r', provider: 'p', service: 's', name: 'r', spec };
}
const attr = (c: { column: string }) => c.column;

describe('expression filters', () => {
  const res = resource({
    format: 'expression',
    quote: 'json',
    columns: { status: { eq: '"/item/status" == {value}' }, user: { eq: '"/item/user" == {value}' } },
  });

  it('joins columns with and, IN alternatives with or, values as JSON strings', () => {
    const out = filterPushdown(res, [inList('status', ['a', 'b"c']), eq('status', 'a')], attr);
    expect(out.values.get('f')).toBe('"/item/status" == "a"');
    const out2 = filterPushdown(res, [inList('status', ['a', 'b"c'])], attr);
    expect(out2.values.get('f')).toBe('("/item/status" == "a" or "/item/status" == "b\\"c")');
  });

  it('leaves a case-insensitive column, a number and an empty intersection to SQLite', () => {
    expect(filterPushdown(res, [eq('user', 'Bob')], attr).values.size).toBe(0);
    const n: Conjunct = { kind: 'compare', op: '=', column: col('status'), value: { kind: 'number', value: 1 }, text: 'status = 1' };
    expect(filterPushdown(res, [n], attr).values.size).toBe(0);
    expect(filterPushdown(res, [eq('status', 'a'), eq('status', 'b')], attr).values.size).toBe(0);
  });
});

describe('list filters', () => {
  const res = resource({
    format: 'list',
    columns: {
      status: { eq: { key: 'Status', value: '{value}' } },
      started: { ge: { key: 'After', value: '{value}' }, lt: { key: 'Before', value: '{value}' } },
    },
  });

  it('one item per key; IN stays in SQLite; bounds widen to whole seconds', () => {
    const out = filterPushdown(
      res,
      [eq('status', 'Connected'), inList('status', ['A', 'B']), cmp('started', '>', '2026-01-02T03:04:05.678Z'), cmp('started', '<=', '2026-01-03')],
      attr,
    );
    expect(JSON.parse(out.values.get('f')!)).toEqual([
      { key: 'Status', value: 'Connected' },
      { key: 'After', value: '2026-01-02T03:04:05Z' },
      { key: 'Before', value: '2026-01-03T00:00:01Z' },
    ]);
    expect(out.consumed.size).toBe(3);
  });

  it('= on a column with only a lower-bound form is a lower bound', () => {
    const out = filterPushdown(res, [eq('started', '2026-01-02T03:04:05Z')], attr);
    expect(JSON.parse(out.values.get('f')!)).toEqual([{ key: 'After', value: '2026-01-02T03:04:05Z' }]);
  });
});

describe('safeUpperBound', () => {
  it.each([
    ['2026-01-03', '2026-01-03T00:00:01.000Z'],
    ['2026-01-03T10:00', '2026-01-03T10:00:01.000Z'],
    ['2026-01-03T10:00:00Z', '2026-01-03T10:00:01.000Z'],
    ['2026-01-03T10:00:00.999Z', '2026-01-03T10:00:01.000Z'],
  ])('%s → every row SQLite keeps started before %s', (lit, iso) => {
    expect(new Date(safeUpperBound(lit)!).toISOString()).toBe(iso);
  });

  it('refuses literals whose text order is not time order', () => {
    expect(safeUpperBound('2026-01-03 10:00:00')).toBeUndefined();
    expect(safeUpperBound('yesterday')).toBeUndefined();
  });
});
