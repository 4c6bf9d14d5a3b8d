// Fitting a table to the terminal: the renderer cuts long cells; when that would leave a column
// narrower than MIN_COLUMN, rows are shown vertically instead (`column | value`, as psql's \x).
// Invariant: every line written fits `width` columns, and NULL stays visible.
import { cellText, type RenderInput, type ResultValue } from '../../output/render.js';

type Collected = RenderInput & { rows: ResultValue[][] };

const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(line: string): number {
  return [...line.replace(ANSI, '')].length;
}

function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, Math.max(1, max - 1)).join('')}…` : s;
}

/** Narrowest a column is cut to before the table turns vertical (narrower columns keep their width). */
export const MIN_COLUMN = 10;

/** The rendered table when every column keeps a readable width, else the rows shown vertically. */
export function fitToWidth(rendered: string, rs: Collected, width: number, color = false): string {
  // a loop, not Math.max(...rows): a spread of 200k rows overflows the call stack
  const natural = rs.columns.map((c, i) =>
    rs.rows.reduce((max, r) => Math.max(max, [...cellText(r[i] ?? null, rs.types?.[i])].length), [...c].length),
  );
  const needed = natural.reduce((sum, n) => sum + Math.min(n, MIN_COLUMN), 0) + 3 * natural.length + 1;
  const fits = needed <= width && rendered.split('\n').every((l) => visibleLength(l) <= width);
  return fits ? rendered : renderVertical(rs, width, color);
}

export function renderVertical(rs: Collected, width: number, color = false): string {
  const nameWidth = Math.min(Math.max(...rs.columns.map((c) => [...c].length)), Math.max(8, Math.floor(width / 3)));
  const valueWidth = Math.max(4, width - nameWidth - 3);
  const lines: string[] = [];
  rs.rows.forEach((row, i) => {
    const title = `-[ row ${i + 1} ]`;
    lines.push(title + '-'.repeat(Math.max(0, Math.min(width, nameWidth + 3 + 20) - title.length)));
    rs.columns.forEach((c, j) => {
      const v = row[j] ?? null;
      const text = v === null && color ? '\u001b[2mNULL\u001b[22m' : cut(cellText(v, rs.types?.[j]), valueWidth);
      lines.push(`${cut(c, nameWidth).padEnd(nameWidth)} | ${text}`);
    });
  });
  lines.push(`${rs.rows.length} row${rs.rows.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
