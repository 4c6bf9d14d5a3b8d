// Validation and conversion of API items into SQLite row values: each column's type decides its
// SQLite value (booleans 0/1, nested values JSON text, timestamps ISO-8601 UTC). A value of the
// wrong shape is a MALFORMED_RESPONSE naming the table, row and field — never silently dropped.
import { SessqlError } from '../errors.js';
import type { ColumnType } from '../manifest/schema.js';
import { canonicalInstant, parseDateTime } from '../plan/values.js';
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
      const canonical = canonicalInstant(v);
      if (canonical !== undefined) return canonical;
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

type Cell = (item: Record<string, unknown>) => SqlValue;

/**
 * One column's cell function. Plain top-level fields of the common types get their own function
 * literal, so each stays monomorphic (a shared `convert(get(item))` closure is not inlined).
 */
function cell(col: TableColumn, sqlValues: Record<string, Scalar>): Cell {
  if (col.kind !== 'row') {
    const v = sqlValues[col.param];
    const value: SqlValue = v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;
    return () => value;
  }
  const base = CONVERT[col.spec.type];
  // epochUnit is a datetime's (the manifest check refuses it elsewhere)
  const scale = col.spec.type === 'datetime' && col.spec.epochUnit === 'seconds' ? 1000 : 1;
  // epoch seconds with a millisecond fraction (AWS JSON 1.1): rounded to whole milliseconds
  const convert: Converter = scale === 1 ? base : (v) => base(typeof v === 'number' ? Math.round(v * scale) : v);
  if (col.spec.extract) {
    const get = pathGetter(col.spec.extract.from);
    const re = new RegExp(col.spec.extract.pattern, 'i');
    return (item) => {
      const src = get(item);
      const m = typeof src === 'string' ? re.exec(src) : null;
      return m ? convert(m[1] ?? m[0]) : null;
    };
  }
  const from = col.spec.from ?? col.spec.name;
  const paths = Array.isArray(from) ? from : [from];
  if (paths.some((p) => p.includes('.'))) {
    // several spellings of one field (or a nested one): the first present in the item
    const getters = paths.map(pathGetter);
    return (item) => {
      for (const get of getters) {
        const v = get(item);
        if (v !== undefined) return convert(v);
      }
      return null;
    };
  }
  // Top-level fields: the first spelling is read directly and the other spellings only when it
  // is absent; the common types get their own function literal, so each stays monomorphic (a
  // shared `convert(get(item))` closure is not inlined).
  const [first, ...others] = paths;
  const fallback = (item: Record<string, unknown>): SqlValue => {
    for (const key of others) {
      const v = item[key];
      if (v !== undefined) return convert(v);
    }
    return null;
  };
  switch (col.spec.type) {
    case 'string':
      return (item) => {
        const v = item[first];
        return typeof v === 'string' ? v : v === undefined ? fallback(item) : CONVERT.string(v);
      };
    case 'integer':
    case 'number':
      return (item) => {
        const v = item[first];
        return typeof v === 'number' ? v : v === undefined ? fallback(item) : number(v);
      };
    case 'datetime':
      if (scale !== 1) break;
      return (item) => {
        const v = item[first];
        return v === undefined ? fallback(item) : CONVERT.datetime(v);
      };
  }
  return (item) => {
    const v = item[first];
    return v === undefined ? fallback(item) : convert(v);
  };
}

/**
 * Columns that always hold the value of an earlier column, because they read the same field the
 * same way (a field under two names: `id` and stackql's `session_id`): column index → the index
 * of the first column that reads it.
 */
export function sharedColumns(columns: TableColumn[]): Map<number, number> {
  const first = new Map<string, number>();
  const shared = new Map<number, number>();
  columns.forEach((col, i) => {
    if (col.kind !== 'row') return;
    const source = JSON.stringify([col.spec.type, col.spec.from ?? col.spec.name, col.spec.extract, col.spec.epochUnit]);
    const earlier = first.get(source);
    if (earlier === undefined) first.set(source, i);
    else shared.set(i, earlier);
  });
  return shared;
}

/**
 * Builds the function that turns one API item into a row for the table's columns; parameter
 * columns take the values the fetch was made with.
 */
export function rowBuilder(table: string, columns: TableColumn[], sqlValues: Record<string, Scalar>): (item: unknown, index: number) => SqlValue[] {
  // a column that holds another's value is converted once and copied
  const shared = sharedColumns(columns);
  const own = columns.flatMap((_, i) => (shared.has(i) ? [] : [i]));
  const copies = [...shared];
  const cells = own.map((i) => cell(columns[i], sqlValues));
  const width = columns.length;
  return (item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new SessqlError(
        'MALFORMED_RESPONSE',
        `${table}: item ${index} of a page is not an object (expected a JSON object, got ${item === null ? 'null' : describe(item)})`,
      );
    }
    const row = new Array<SqlValue>(width);
    let i = 0;
    try {
      for (; i < cells.length; i++) row[own[i]] = cells[i](item as Record<string, unknown>);
    } catch (e) {
      if (e instanceof BadValue) {
        throw new SessqlError('MALFORMED_RESPONSE', `${table}: field ${columns[own[i]].name} of item ${index}: ${e.message}`, {
          hint: 'the API answered with a shape sessql does not expect; run with --debug and report it',
        });
      }
      throw e;
    }
    for (const [to, from] of copies) row[to] = row[from];
    return row;
  };
}

export const SQLITE_TYPE: Record<ColumnType, string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  number: 'REAL',
  // the declared types keep INTEGER and TEXT affinity (they contain INT / TEXT) and survive into
  // result columns (sqlite3_column_decltype, through views), so output prints booleans and JSON natively
  boolean: 'BOOLEAN INTEGER',
  datetime: 'TEXT',
  json: 'JSON TEXT',
};
