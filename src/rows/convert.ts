// Validation and conversion of API items into SQLite row values: each column's type decides its
// SQLite value (booleans 0/1, nested values JSON text, timestamps ISO-8601 UTC). A value of the
// wrong shape is a MALFORMED_RESPONSE naming the table, row and field — never silently dropped.
import { z } from 'zod';
import { SessqlError } from '../errors.js';
import type { ColumnType } from '../manifest/schema.js';
import { parseDateTime } from '../plan/values.js';
import type { Scalar } from '../plan/values.js';
import type { TableColumn } from '../plan/plan.js';

export type SqlValue = string | number | null;

type Converter = (v: unknown) => SqlValue;

class BadValue extends Error {}

const CONVERT: Record<ColumnType, Converter> = {
  string: (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new BadValue(`expected a string, got ${describe(v)}`);
  },
  integer: (v) => number(v),
  number: (v) => number(v),
  boolean: (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v === 'true' || v === 1) return 1;
    if (v === 'false' || v === 0) return 0;
    throw new BadValue(`expected true or false, got ${describe(v)}`);
  },
  datetime: (v) => {
    if (v === null || v === undefined || v === '') return null;
    if (typeof v === 'string') {
      // store what arrives; normalised to ISO-8601 UTC where it parses (Azure's startTime is
      // typed `object` and its documented example is not valid ISO-8601 — api-facts B.1)
      const ms = parseDateTime(v);
      return ms === undefined ? v : new Date(ms).toISOString();
    }
    if (typeof v === 'number') return new Date(v).toISOString();
    return JSON.stringify(v);
  },
  json: (v) => (v === null || v === undefined ? null : JSON.stringify(v)),
};

function number(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new BadValue(`expected a number, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function pathGetter(path: string): (item: Record<string, unknown>) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) return (item) => item[path];
  return (item) => {
    let cur: unknown = item;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
    return cur;
  };
}

/** The page envelope check: every item must be a JSON object. */
const Item = z.record(z.string(), z.unknown());

/**
 * Builds the function that turns one API item into a row for the table's columns; parameter
 * columns take the values the fetch was made with.
 */
export function rowBuilder(table: string, columns: TableColumn[], sqlValues: Record<string, Scalar>): (item: unknown, index: number) => SqlValue[] {
  const cells = columns.map((col): ((item: Record<string, unknown>) => SqlValue) => {
    if (col.kind !== 'row') {
      const v = sqlValues[col.param];
      const value: SqlValue = v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;
      return () => value;
    }
    const convert = CONVERT[col.spec.type];
    if (col.spec.extract) {
      const get = pathGetter(col.spec.extract.from);
      const re = new RegExp(col.spec.extract.pattern, 'i');
      return (item) => {
        const src = get(item);
        const m = typeof src === 'string' ? re.exec(src) : null;
        return m ? convert(m[1] ?? m[0]) : null;
      };
    }
    const get = pathGetter(col.spec.from ?? col.spec.name);
    return (item) => convert(get(item));
  });
  return (item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      const check = Item.safeParse(item);
      throw new SessqlError('MALFORMED_RESPONSE', `${table}: item ${index} of a page is not an object (${check.success ? 'unexpected' : check.error.issues[0]?.message})`);
    }
    const row = new Array<SqlValue>(cells.length);
    for (let i = 0; i < cells.length; i++) {
      try {
        row[i] = cells[i](item as Record<string, unknown>);
      } catch (e) {
        if (e instanceof BadValue) {
          throw new SessqlError('MALFORMED_RESPONSE', `${table}: field ${columns[i].name} of item ${index}: ${e.message}`, {
            hint: 'the API answered with a shape sessql does not expect; run with --debug and report it',
          });
        }
        throw e;
      }
    }
    return row;
  };
}

export const SQLITE_TYPE: Record<ColumnType, string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  number: 'REAL',
  boolean: 'INTEGER',
  datetime: 'TEXT',
  json: 'TEXT',
};
