// Rendering result sets: table, json, ndjson, csv, markdown. Each format is a handler in one
// Record, so a new format without a renderer does not compile. Numbers stay numbers; NULL is
// `null` in JSON, empty in CSV and a visible NULL in tables.
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { SqlValue } from '../rows/convert.js';

export const outputFormats = ['table', 'json', 'ndjson', 'csv', 'markdown'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export interface RenderInput {
  columns: string[];
  rows: SqlValue[][];
}

export interface RenderOptions {
  /** Terminal width for tables; long cells are truncated to fit. */
  width?: number;
  color?: boolean;
  /** Longest cell in a table before truncation (default 60). */
  maxCell?: number;
}

const RENDERERS: Record<OutputFormat, (r: RenderInput, o: RenderOptions) => string> = {
  table: renderTable,
  json: (r) => `${JSON.stringify(objects(r), null, 2)}\n`,
  ndjson: (r) => objects(r).map((o) => `${JSON.stringify(o)}\n`).join(''),
  csv: (r) => stringify([r.columns, ...r.rows.map((row) => row.map((v) => (v === null ? '' : v)))], { record_delimiter: '\r\n' }),
  markdown: renderMarkdown,
};

export function render(format: OutputFormat, r: RenderInput, o: RenderOptions = {}): string {
  return RENDERERS[format](r, o);
}

function objects(r: RenderInput): Record<string, SqlValue>[] {
  return r.rows.map((row) => {
    const o: Record<string, SqlValue> = {};
    r.columns.forEach((c, i) => (o[c] = row[i] ?? null));
    return o;
  });
}

function cellText(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return v.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
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

function renderTable(r: RenderInput, o: RenderOptions): string {
  if (r.columns.length === 0) return '';
  // on a terminal long cells are cut to fit; in a pipe or file every character is kept
  const maxCell = o.maxCell ?? (o.width ? 60 : Number.POSITIVE_INFINITY);
  const text = r.rows.map((row) => row.map((v) => truncate(cellText(v), maxCell)));
  const natural = r.columns.map((c, i) => Math.max([...c].length, ...text.map((row) => [...row[i]].length)));
  const widths = o.width ? fitWidths(natural, o.width) : natural;
  const table = new Table({
    head: r.columns.map((c, i) => truncate(c, widths[i])),
    style: { head: o.color ? ['cyan'] : [], border: o.color ? ['grey'] : [], compact: true },
    colAligns: r.columns.map((_, i) => (r.rows.length && r.rows.every((row) => typeof row[i] === 'number' || row[i] === null) ? 'right' : 'left')),
  });
  const nullText = o.color ? '\u001b[2mNULL\u001b[22m' : 'NULL';
  for (const row of r.rows) {
    table.push(row.map((v, i) => (v === null ? nullText : truncate(cellText(v), widths[i]))));
  }
  const count = `${r.rows.length} row${r.rows.length === 1 ? '' : 's'}`;
  return `${table.toString()}\n${count}\n`;
}

function renderMarkdown(r: RenderInput): string {
  const esc = (v: SqlValue) => (v === null ? 'NULL' : String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>'));
  const align = r.columns.map((_, i) => (r.rows.length && r.rows.every((row) => typeof row[i] === 'number' || row[i] === null) ? '---:' : '---'));
  const lines = [`| ${r.columns.map((c) => esc(c)).join(' | ')} |`, `| ${align.join(' | ')} |`, ...r.rows.map((row) => `| ${row.map(esc).join(' | ')} |`)];
  return `${lines.join('\n')}\n`;
}
