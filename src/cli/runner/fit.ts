// Fitting a table to the terminal: the renderer cuts long cells; when that would leave a column
// narrower than MIN_COLUMN, rows are shown vertically instead (`column | value`, as psql's \x).
// Invariant: every line written fits `width` columns, and NULL stays visible.
import type { RenderInput } from '../../output/render.js';
import type { SqlValue } from '../../rows/convert.js';

const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(line: string): number {
  return [...line.replace(ANSI, '')].length;
}

function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, Math.max(1, max - 1)).join('')}…` : s;
}

function cellText(v: SqlValue): string {
  if (v === null) return 'NULL';
  return String(v).replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
}

/** Narrowest a column is cut to before the table turns vertical (narrower columns keep their width). */
export const MIN_COLUMN = 10;

/** The rendered table when every column keeps a readable width, else the rows shown vertically. */
export function fitToWidth(rendered: string, rs: RenderInput, width: number, color = false): string {
  const natural = rs.columns.map((c, i) => Math.max([...c].length, ...rs.rows.map((r) => [...cellText(r[i] ?? null)].length)));
  const needed = natural.reduce((sum, n) => sum + Math.min(n, MIN_COLUMN), 0) + 3 * natural.length + 1;
  const fits = needed <= width && rendered.split('\n').every((l) => visibleLength(l) <= width);
  return fits ? rendered : renderVertical(rs, width, color);
}

export function renderVertical(rs: RenderInput, width: number, color = false): string {
  const nameWidth = Math.min(Math.max(...rs.columns.map((c) => [...c].length)), Math.max(8, Math.floor(width / 3)));
  const valueWidth = Math.max(4, width - nameWidth - 3);
  const lines: string[] = [];
  rs.rows.forEach((row, i) => {
    const title = `-[ row ${i + 1} ]`;
    lines.push(title + '-'.repeat(Math.max(0, Math.min(width, nameWidth + 3 + 20) - title.length)));
    rs.columns.forEach((c, j) => {
      const v = row[j] ?? null;
      const text = v === null && color ? '\u001b[2mNULL\u001b[22m' : cut(cellText(v), valueWidth);
      lines.push(`${cut(c, nameWidth).padEnd(nameWidth)} | ${text}`);
    });
  });
  lines.push(`${rs.rows.length} row${rs.rows.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
