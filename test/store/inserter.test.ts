// Store.inserter's fast path (constants written into the statement, 10 rows per INSERT) stores
// exactly what one prepared INSERT per row stores: same rows, same types, later rows win.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/sqlite.js';
import type { SqlValue } from '../../src/rows/convert.js';

const COLUMNS = [
  { name: 'id', sqlType: 'TEXT' },
  { name: 'n', sqlType: 'INTEGER' },
  { name: 'x', sqlType: 'REAL' },
  { name: 'p', sqlType: 'TEXT' },
  { name: 'q', sqlType: 'TEXT' },
  { name: 'k', sqlType: 'INTEGER' },
];
const CONSTANT = [3, 4, 5];

function load(batches: SqlValue[][][], constant: number[]): unknown[][] {
  const store = new Store();
  try {
    store.createTable('t', COLUMNS, ['id']);
    const insert = store.inserter('t', COLUMNS.length, true, constant);
    for (const b of batches) insert(b);
    return store.query('SELECT id, n, typeof(n), x, typeof(x), p, typeof(p), q, typeof(q), k, typeof(k) FROM t ORDER BY id').rows;
  } finally {
    store.close();
  }
}

const value = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 4 }),
);
const rowArb = (constants: SqlValue[]) =>
  fc.record({ id: fc.integer({ min: 0, max: 30 }), n: value, x: value, odd: fc.boolean() }).map((r): SqlValue[] => [
    `s${r.id}`,
    r.n,
    r.x,
    // now and then a "constant" that differs: it must still be stored as given
    r.odd ? 'other' : constants[0],
    constants[1],
    r.odd ? 7 : constants[2],
  ]);

describe('Store.inserter', () => {
  it('stores what a one-row INSERT per row stores (constants, groups of 10, duplicates, odd rows)', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.oneof(fc.string({ maxLength: 3 }), fc.constant("it's")), fc.oneof(fc.constant(null), fc.string({ maxLength: 3 })), fc.integer())
          .chain((constants) => fc.array(fc.array(rowArb(constants), { maxLength: 35 }), { maxLength: 4 })),
        (batches) => {
          expect(load(batches, CONSTANT)).toEqual(load(batches, []));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('handles a page of exactly 10 rows and an empty page', () => {
    const rows: SqlValue[][] = Array.from({ length: 10 }, (_, i) => [`s${i}`, i, i / 2, 'c', null, 1]);
    expect(load([rows, []], CONSTANT)).toEqual(load([rows, []], []));
    expect(load([rows], CONSTANT)).toHaveLength(10);
  });
});

// A column declared as a copy of another (a field under two names) is a generated column: reading
// the table gives what storing the value twice gave — values, their types, declared types, collation.
describe('copied columns', () => {
  const TYPES = ['TEXT', 'INTEGER', 'REAL', 'BOOLEAN INTEGER', 'JSON TEXT', 'TEXT COLLATE NOCASE'];
  const cell = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 4 }),
    fc.constantFrom('1', ' 2', 'A', 'a'),
  );

  function read(types: string[], copyOf: Array<number | undefined>, rows: SqlValue[][], generated: boolean) {
    const store = new Store();
    try {
      const cols = types.map((sqlType, i) => ({
        name: `c${i}`,
        sqlType,
        copyOf: generated && copyOf[i] !== undefined ? `c${copyOf[i]}` : undefined,
      }));
      store.createTable('t', [{ name: 'id', sqlType: 'TEXT' }, ...cols], ['id']);
      const stored = (row: SqlValue[]) => row.filter((_, i) => !generated || i === 0 || copyOf[i - 1] === undefined);
      const insert = store.inserter('t', 1 + cols.filter((c) => c.copyOf === undefined).length, true);
      insert(rows.map((r, k) => stored([`r${k}`, ...types.map((_, i) => r[copyOf[i] ?? i])])));
      const list = types.map((_, i) => `c${i}, typeof(c${i})`).join(', ');
      const equalA = types.map((_, i) => `c${i} = 'a'`).join(', ');
      const all = store.query(`SELECT ${list}, ${equalA} FROM t ORDER BY id`);
      const star = store.query('SELECT * FROM t ORDER BY id');
      return { rows: all.rows, star: star.rows, columns: star.columns, types: star.types };
    } finally {
      store.close();
    }
  }

  it('reads as the same column stored twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 5 }).chain((base) =>
          fc
            .array(fc.tuple(fc.nat(base.length - 1), fc.boolean()), { maxLength: 4 })
            .map((dups) => ({
              // a copy has its column's type, or another collation of it
              types: [...base, ...dups.map(([d, nocase]) => (nocase && base[d] === 'TEXT' ? 'TEXT COLLATE NOCASE' : base[d]))],
              copyOf: [...base.map(() => undefined), ...dups.map(([d]) => d)] as Array<number | undefined>,
            }))
            .chain((t) =>
              fc.tuple(fc.constant(t), fc.array(fc.array(cell, { minLength: t.types.length, maxLength: t.types.length }), { maxLength: 25 })),
            ),
        ),
        ([{ types, copyOf }, rows]) => {
          expect(read(types, copyOf, rows, true)).toEqual(read(types, copyOf, rows, false));
        },
      ),
      { numRuns: 150 },
    );
  });
});
