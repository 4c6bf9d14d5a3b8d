// rowBuilder's fast paths (benchmark-driven) against the straightforward conversion they replace:
// for any datetime-ish string, and for whole session items, the rows are identical.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowBuilder } from '../../src/rows/convert.js';
import type { TableColumn } from '../../src/plan/plan.js';
import { parseDateTime } from '../../src/plan/values.js';
import { SessqlError } from '../../src/errors.js';

const col = (name: string, type: 'string' | 'integer' | 'number' | 'boolean' | 'datetime' | 'json', from?: string): TableColumn => ({
  name,
  kind: 'row',
  spec: { name, type, description: '', from, caseInsensitive: false },
});

/** parseDateTime before its fast path: the general pattern only. */
function parsePattern(text: string): number | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const pad = (v: string, n = 2) => v.padStart(n, '0');
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${mi}:${s}${frac.slice(0, 4)}${z}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The conversion before the fast path: parse, then toISOString. */
function reference(v: string): string | null {
  if (v === '') return null;
  const ms = parsePattern(v);
  return ms === undefined ? v : new Date(ms).toISOString();
}

const datetime = rowBuilder('t', [col('at', 'datetime')], {});
const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('datetime fast path (conversion, and parseDateTime)', () => {
  it('equals parse + toISOString for canonical-looking instants, in range or not', () => {
    const instant = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
        fc.constantFrom('Z', 'z', '+00:00', ''),
      )
      .map(
        ([y, mo, d, h, mi, s, ms, z]) =>
          `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${ms === undefined ? '' : `.${pad(ms, 3)}`}${z}`,
      );
    fc.assert(
      fc.property(instant, (v) => {
        expect(datetime({ at: v }, 0)[0]).toBe(reference(v));
        expect(parseDateTime(v)).toBe(parsePattern(v));
      }),
      { numRuns: 3000 },
    );
  });

  it('equals the reference for arbitrary strings and the edge cases', () => {
    const edges = [
      '2024-02-29T00:00:00.000Z', // leap day
      '2025-02-29T00:00:00.000Z', // rolls over to 1 March
      '2025-04-31T10:00:00Z',
      '2025-01-01T24:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '2025-06-01T10:00:00Z', // no milliseconds: the API's documented form
      '2025-06-01T10:00:00.5Z',
      '2025-6-1 10:00',
      'x'.repeat(24),
      '2025-06-01T10:00:00.000Zx',
    ];
    for (const v of edges) {
      expect(datetime({ at: v }, 0)[0]).toBe(reference(v));
      expect(parseDateTime(v)).toBe(parsePattern(v));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (v) => {
        expect(datetime({ at: v }, 0)[0]).toBe(reference(v));
        expect(parseDateTime(v)).toBe(parsePattern(v));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('typed cells', () => {
  const build = rowBuilder(
    't',
    [
      col('s', 'string'),
      col('i', 'integer'),
      col('n', 'number'),
      col('b', 'boolean'),
      col('j', 'json'),
      col('deep', 'string', 'a.b'),
      { name: 'p', kind: 'param', param: 'p' },
    ],
    { p: true },
  );

  it('converts as before', () => {
    expect(build({ s: 'x', i: 3, n: '2.5', b: true, j: [1], a: { b: 7 } }, 0)).toEqual(['x', 3, 2.5, 1, '[1]', '7', 1]);
    expect(build({ s: 5, i: null, b: 'false' }, 0)).toEqual(['5', null, null, 0, null, null, 1]);
  });

  it('names the field and the item of a bad value', () => {
    expect(() => build({ i: 'seven' }, 4)).toThrow(/field i of item 4: expected a number/);
    expect(() => build({ s: {} }, 2)).toThrow(SessqlError);
    expect(() => build([1, 2], 9)).toThrow(/item 9 of a page is not an object/);
    expect(() => build(null, 1)).toThrow(/not an object/);
  });
});

// The per-column fast paths (the first spelling read directly, typed shortcuts) and the sharing of
// one conversion between columns that read the same field, against the general path: the same
// column read through a nested path (`w.<field>`), one column at a time.
describe('top-level fields and shared columns', () => {
  const types = ['string', 'integer', 'number', 'boolean', 'datetime', 'json'] as const;
  const fields = ['a', 'b', 'c', 'd'];
  const spec = (name: string, type: (typeof types)[number], from: string | string[], epochUnit?: 'seconds'): TableColumn => ({
    name,
    kind: 'row',
    spec: { name, type, description: '', from, caseInsensitive: false, epochUnit },
  });
  const column = fc
    .tuple(fc.constantFrom(...types), fc.uniqueArray(fc.constantFrom(...fields), { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean())
    // (epochUnit on any type: it scales datetimes only, in every path)
    .map(([type, from, list, epoch]) => ({ type, from: list || from.length > 1 ? from : from[0], epoch }));
  // columns, some of them reading the same field(s) the same way under another name
  const columns = fc
    .array(column, { minLength: 1, maxLength: 8 })
    .chain((cols) =>
      fc
        .array(fc.nat(cols.length - 1), { maxLength: 4 })
        .map((dups) => [...cols, ...dups.map((d) => cols[d])].map((c, i) => spec(`c${i}`, c.type, c.from, c.epoch ? 'seconds' : undefined))),
    );
  const value = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('2025-06-01T10:00:00Z', '2025-02-30T00:00:00.000Z', '17', 'true', ''),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constantFrom(0, 1),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom('x', 'y'), fc.integer()),
  );
  const item = fc.tuple(...fields.map(() => value)).map((vs) => {
    const o: Record<string, unknown> = {};
    vs.forEach((v, i) => {
      if (v !== undefined) o[fields[i]] = v;
    });
    return o;
  });

  /** The general path: each column alone, reading `w.<field>` of `{ w: item }`; the first error in column order. */
  function reference(cols: TableColumn[], it: Record<string, unknown>, index: number): unknown {
    const row: unknown[] = [];
    for (const c of cols) {
      if (c.kind !== 'row') throw new Error('row columns only');
      const from = [c.spec.from ?? c.spec.name].flat().map((f) => `w.${f}`);
      try {
        row.push(rowBuilder('t', [{ ...c, spec: { ...c.spec, from } }], {})({ w: it }, index)[0]);
      } catch (e) {
        return { error: (e as SessqlError).code, message: (e as Error).message };
      }
    }
    return row;
  }

  function actual(cols: TableColumn[], it: Record<string, unknown>, index: number): unknown {
    try {
      return rowBuilder('t', cols, {})(it, index);
    } catch (e) {
      return { error: (e as SessqlError).code, message: (e as Error).message };
    }
  }

  it('gives the general path’s rows, and its error for a bad value', () => {
    fc.assert(
      fc.property(columns, fc.array(item, { minLength: 1, maxLength: 5 }), (cols, items) => {
        items.forEach((it, i) => expect(actual(cols, it, i)).toEqual(reference(cols, it, i)));
      }),
      { numRuns: 3000 },
    );
  });

  it('a bad value in a shared field names the first column that reads it', () => {
    const cols = [
      spec('bytesIn', 'integer', ['bytesIn', 'bytes_in']),
      spec('x', 'string', 'x'),
      spec('bytes_in', 'integer', ['bytesIn', 'bytes_in']),
    ];
    expect(() => rowBuilder('t', cols, {})({ bytes_in: 'many' }, 3)).toThrow(/field bytesIn of item 3: expected a number/);
    expect(rowBuilder('t', cols, {})({ bytes_in: '12', x: 1 }, 0)).toEqual([12, '1', 12]);
  });
});
