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

/** The conversion before the fast path: parse, then toISOString. */
function reference(v: string): string | null {
  if (v === '') return null;
  const ms = parseDateTime(v);
  return ms === undefined ? v : new Date(ms).toISOString();
}

const datetime = rowBuilder('t', [col('at', 'datetime')], {});
const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('datetime fast path', () => {
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
    for (const v of edges) expect(datetime({ at: v }, 0)[0]).toBe(reference(v));
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (v) => {
        expect(datetime({ at: v }, 0)[0]).toBe(reference(v));
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
