// Rendering result sets: table, json, ndjson, csv, markdown. Each format is a handler in one
// Record, so a new format without a renderer does not compile. Rows arrive as an iterable: csv,
// json and ndjson write them as they come (memory stays bounded however many rows there are);
// table and markdown need every row for their column widths and alignment, so they collect them.
// Values print by the rules of ./values.ts (exact integers, native booleans and JSON, Inf, X'…').
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { isNumeric, jsonOf, textOf, type ColumnHint, type ResultValue } from './values.js';

export type { ColumnHint, ResultValue } from './values.js';

export const outputFormats = ['table', 'json', 'ndjson', 'csv', 'markdown'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export interface RenderInput {
  columns: string[];
  rows: Iterable<ResultValue[]>;
  /** Per column: what a column taken straight from a resource column holds (booleans, JSON). */
  types?: (ColumnHint | undefined)[];
}

export interface RenderOptions {
  /** Terminal width for tables; long cells are truncated to fit. */
  width?: number;
  color?: boolean;
  /** Longest cell in a table before truncation (default 60). */
  maxCell?: number;
}

/** Receives the output in pieces (about 64 KiB each for the streaming formats). */
export type Write = (chunk: string) => void;

const RENDERERS: Record<OutputFormat, (r: RenderInput, o: RenderOptions, write: Write) => void> = {
  table: (r, o, write) => write(renderTable(collected(r), o)),
  json: renderJson,
  ndjson: renderNdjson,
  csv: renderCsv,
  markdown: (r, _o, write) => write(renderMarkdown(collected(r))),
};

/** Writes the rendered result to `write` piece by piece, reading the rows once. */
export function renderTo(format: OutputFormat, r: RenderInput, o: RenderOptions, write: Write): void {
  RENDERERS[format](r, o, write);
}

/** The whole rendered result as one string (small results: metadata, checks, tests). */
export function render(format: OutputFormat, r: RenderInput, o: RenderOptions = {}): string {
  const parts: string[] = [];
  renderTo(format, r, o, (s) => parts.push(s));
  return parts.join('');
}

/** The same input with its rows in an array (table and markdown need them all). */
export function collected(r: RenderInput): RenderInput & { rows: ResultValue[][] } {
  return { ...r, rows: Array.isArray(r.rows) ? r.rows : [...r.rows] };
}

const CHUNK = 64 * 1024;

/** Buffers small strings into pieces of about CHUNK characters. */
function chunker(write: Write): { add: (s: string) => void; flush: () => void } {
  let buf: string[] = [];
  let size = 0;
  const flush = () => {
    if (size > 0) write(buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    add: (s) => {
      buf.push(s);
      size += s.length;
      if (size >= CHUNK) flush();
    },
    flush,
  };
}

/** Output keys: a name given twice keeps its first place and its last value (as a JS object would). */
function keys(columns: string[]): Array<{ key: string; index: number }> {
  const last = new Map<string, number>();
  columns.forEach((c, i) => last.set(c, i));
  const seen = new Set<string>();
  const out: Array<{ key: string; index: number }> = [];
  for (const c of columns) {
    if (seen.has(c)) continue;
    seen.add(c);
    out.push({ key: JSON.stringify(c), index: last.get(c)! });
  }
  return out;
}

function renderNdjson(r: RenderInput, _o: RenderOptions, write: Write): void {
  const ks = keys(r.columns);
  const types = r.types ?? [];
  const out = chunker(write);
  for (const row of r.rows) {
    out.add(`{${ks.map(({ key, index }) => `${key}:${jsonOf(row[index] ?? null, types[index])}`).join(',')}}\n`);
  }
  out.flush();
}

/** The layout of JSON.stringify(rows, null, 2), one row at a time. */
function renderJson(r: RenderInput, _o: RenderOptions, write: Write): void {
  const ks = keys(r.columns);
  const types = r.types ?? [];
  const out = chunker(write);
  let first = true;
  for (const row of r.rows) {
    const members = ks.map(({ key, index }) => `    ${key}: ${jsonOf(row[index] ?? null, types[index], '    ')}`);
    out.add(`${first ? '[\n' : ',\n'}${members.length ? `  {\n${members.join(',\n')}\n  }` : '  {}'}`);
    first = false;
  }
  out.add(first ? '[]\n' : '\n]\n');
  out.flush();
}

function renderCsv(r: RenderInput, _o: RenderOptions, write: Write): void {
  const types = r.types ?? [];
  const options = { record_delimiter: '\r\n' } as const;
  write(stringify([r.columns], options));
  let batch: string[][] = [];
  for (const row of r.rows) {
    batch.push(row.map((v, i) => textOf(v, types[i]) ?? ''));
    if (batch.length === 1000) {
      write(stringify(batch, options));
      batch = [];
    }
  }
  if (batch.length) write(stringify(batch, options));
}

export function cellText(v: ResultValue, hint?: ColumnHint): string {
  const t = textOf(v, hint);
  if (t === null) return 'NULL';
  return t.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
}

function truncate(s: string, max: number): string {
  return [...s].length > max ? `${[...s].slice(0, Math.max(1, max - 1)).join('')}…` : s;
}

/** Column widths that fit `width`: shrink the widest columns first, never below 4. */
function fitWidths(natural: number[], width: number): number[] {
  const widths = [...natural];
  const budget = width - (3 * widths.length + 1);
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    const max = Math.max(...widths);
    if (max <= 4) break;
    const i = widths.indexOf(max);
    widths[i] -= 1;
    total -= 1;
  }
  return widths;
}

/** A numeric column (right-aligned): every value a number or NULL, and not a boolean column. */
function numericColumn(r: RenderInput & { rows: ResultValue[][] }, i: number): boolean {
  return r.types?.[i] !== 'boolean' && r.rows.length > 0 && r.rows.every((row) => isNumeric(row[i]) || row[i] === null);
}

function renderTable(r: RenderInput & { rows: ResultValue[][] }, o: RenderOptions): string {
  if (r.columns.length === 0) return '';
  const types = r.types ?? [];
  // on a terminal long cells are cut to fit; in a pipe or file every character is kept
  const maxCell = o.maxCell ?? (o.width ? 60 : Number.POSITIVE_INFINITY);
  const text = r.rows.map((row) => row.map((v, i) => truncate(cellText(v, types[i]), maxCell)));
  const natural = r.columns.map((c, i) => Math.max([...c].length, ...text.map((row) => [...row[i]].length)));
  const widths = o.width ? fitWidths(natural, o.width) : natural;
  const table = new Table({
    head: r.columns.map((c, i) => truncate(c, widths[i])),
    style: { head: o.color ? ['cyan'] : [], border: o.color ? ['grey'] : [], compact: true },
    colAligns: r.columns.map((_, i) => (numericColumn(r, i) ? 'right' : 'left')),
  });
  const nullText = o.color ? '\u001b[2mNULL\u001b[22m' : 'NULL';
  for (const row of r.rows) {
    table.push(row.map((v, i) => (v === null ? nullText : truncate(cellText(v, types[i]), widths[i]))));
  }
  const count = `${r.rows.length} row${r.rows.length === 1 ? '' : 's'}`;
  return `${table.toString()}\n${count}\n`;
}

function renderMarkdown(r: RenderInput & { rows: ResultValue[][] }): string {
  const types = r.types ?? [];
  const esc = (v: ResultValue, i: number) => (v === null ? 'NULL' : (textOf(v, types[i]) ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>'));
  const align = r.columns.map((_, i) => (numericColumn(r, i) ? '---:' : '---'));
  const head = r.columns.map((c) => c.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>'));
  const lines = [`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`, ...r.rows.map((row) => `| ${row.map(esc).join(' | ')} |`)];
  return `${lines.join('\n')}\n`;
}
