// Result values as people read them. SQLite hands back integers (as bigint beyond 2^53, so none is
// rounded), reals (including ±Inf from overflow such as 1e999), text, blobs and NULL; a column
// taken straight from a resource column carries a hint from its declared type (BOOLEAN, JSON).
// Rules, the same in every format: booleans print true/false; JSON columns are JSON in json and
// ndjson output and text elsewhere; ±Inf is `Inf`/`-Inf` in text and `1e999`/`-1e999` in JSON
// (valid JSON that parsers read as infinity); blobs print as SQLite's hex literal `X'0A1B'`.

export type ResultValue = string | number | bigint | Uint8Array | null;

/** What a result column holds when it comes straight from a resource column. */
export type ColumnHint = 'boolean' | 'json';

/** The hint of a declared type (`BOOLEAN INTEGER`, `JSON TEXT` on cache tables), if any. */
export function hintOfDeclaredType(declared: string | null | undefined): ColumnHint | undefined {
  if (!declared) return undefined;
  const t = declared.trim().toUpperCase();
  if (t.startsWith('BOOLEAN')) return 'boolean';
  if (t.startsWith('JSON')) return 'json';
  return undefined;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A value read with safe integers on: bigints that fit a double exactly become numbers. */
export function fromSqlite(v: unknown): ResultValue {
  if (typeof v === 'bigint') return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
  return v as ResultValue;
}

export function isNumeric(v: ResultValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint';
}

function hex(b: Uint8Array): string {
  return `X'${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex').toUpperCase()}'`;
}

function numberText(n: number): string {
  if (n === Infinity) return 'Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function booleanOf(v: ResultValue): boolean | undefined {
  if (v === 0 || v === 1) return v === 1;
  if (v === 0n || v === 1n) return v === 1n;
  return undefined;
}

/** The value as text for tables, CSV, Markdown and HTML; null stays null (each format shows it its way). */
export function textOf(v: ResultValue, hint?: ColumnHint): string | null {
  if (v === null) return null;
  if (hint === 'boolean') {
    const b = booleanOf(v);
    if (b !== undefined) return b ? 'true' : 'false';
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'bigint') return v.toString();
  return hex(v);
}

/** The value as JSON text: numbers exact, booleans and JSON columns native. */
export function jsonOf(v: ResultValue, hint?: ColumnHint, indent = ''): string {
  if (v === null) return 'null';
  if (hint === 'boolean') {
    const b = booleanOf(v);
    if (b !== undefined) return b ? 'true' : 'false';
  }
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : v > 0 ? '1e999' : v < 0 ? '-1e999' : 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return hint === 'json' ? nativeJson(v, indent) : JSON.stringify(v);
  return JSON.stringify(hex(v));
}

/** JSON text stored in a JSON column, re-indented; text that is not JSON stays a string. */
function nativeJson(text: string, indent: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return JSON.stringify(text);
  }
  if (indent === '') return JSON.stringify(parsed);
  return JSON.stringify(parsed, null, 2).replace(/\n/g, `\n${indent}`);
}
