// Presentation switches of the shell and exec on top of the renderer: vertical records (psql's
// `\x`) and results without the header (`.headers off`). Invariant: data lines are never dropped.
import type { OutputFormat, RenderInput, ResultValue } from '../../output/render.js';
import { renderVertical } from './fit.js';

/** One block per row, a `column | value` line per column; cells are cut only to a terminal's width. */
export function vertical(rs: RenderInput & { rows: ResultValue[][] }, o: { width?: number; color?: boolean }): string {
  return renderVertical(rs, o.width ?? Number.MAX_SAFE_INTEGER, o.color);
}

/**
 * The rendered result without its header: CSV's first record, a table's header line and the rule
 * under it. JSON has no header; Markdown needs its header to be a table, so it keeps it.
 */
export function withoutHeaders(format: OutputFormat, text: string): string {
  if (format === 'csv') return text.slice(text.indexOf('\n') + 1);
  if (format !== 'table' || text === '') return text;
  const lines = text.split('\n');
  // cli-table3 compact style: top rule, header, rule, rows…, bottom rule
  return [lines[0], ...lines.slice(3)].join('\n');
}
