// The Markdown report: a heading per section, its table, its SQL, and for `-- chart:` sections a
// text bar chart in a code block (Markdown renderers drop inline SVG). Invariant: every value is
// escaped for its place (table cell, heading, code block), so no value can break the layout.
import { textOf, type ColumnHint, type ResultValue } from '../../output/values.js';
import { escapeMarkdown, fenceFor } from './escape.js';
import { isNumericColumn, plural, type Report, type ReportSection } from './model.js';
import { chartData, full, MAX_POINTS, type ChartData } from './svg-chart.js';

export function renderMarkdown(r: Report): string {
  const when = r.generatedAt.toISOString();
  const out = [
    `# ${escapeMarkdown(r.title)}`,
    '',
    `Generated at ${when} by ${escapeMarkdown(r.generator)} from ${r.sources.map(escapeMarkdown).join(', ')} · ${plural(r.sections.length, 'section')}.`,
    '',
  ];
  for (const s of r.sections) out.push(...section(s, r.maxRows));
  return `${out.join('\n')}\n`;
}

function section(s: ReportSection, maxRows: number): string[] {
  const out = [`## ${escapeMarkdown(s.title)}`, ''];
  for (const d of s.description) out.push(escapeMarkdown(d), '');
  if (s.failedCalls) out.push(`**Partial result:** ${plural(s.failedCalls, 'API call')} failed; their rows are missing.`, '');
  if (s.chart) {
    const data = chartData(s.columns, s.rows, MAX_POINTS.bar);
    if ('reason' in data) out.push(`_No ${s.chart} chart: ${escapeMarkdown(data.reason)}._`, '');
    else out.push(...codeBlock('text', textBars(data)), '');
  }
  out.push(...table(s, maxRows), '');
  out.push('<details><summary>SQL</summary>', '', ...codeBlock('sql', s.sql), '', '</details>', '');
  return out;
}

function codeBlock(lang: string, body: string): string[] {
  const fence = fenceFor(body);
  return [`${fence}${lang}`, body, fence];
}

function cell(v: ResultValue, hint?: ColumnHint): string {
  return v === null ? '_NULL_' : escapeMarkdown(textOf(v, hint) ?? '');
}

function table(s: ReportSection, maxRows: number): string[] {
  if (s.columns.length === 0) return ['_No columns._'];
  const align = s.columns.map((_, i) => (isNumericColumn(s.rows, i, s.types) ? '---:' : '---'));
  const shown = s.rows.slice(0, maxRows);
  const more = s.rows.length - shown.length;
  return [
    `| ${s.columns.map(escapeMarkdown).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...shown.map((row) => `| ${row.map((v, i) => cell(v, s.types?.[i])).join(' | ')} |`),
    '',
    more > 0 ? `_${plural(s.rows.length, 'row')}; the first ${shown.length} are shown._` : `_${plural(s.rows.length, 'row')}._`,
  ];
}

const BAR_WIDTH = 40;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of |v|/max of BAR_WIDTH cells, in eighths of a cell. */
function bar(v: number, max: number): string {
  const eighths = max > 0 ? Math.round((Math.abs(v) / max) * BAR_WIDTH * 8) : 0;
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** Bars drawn with block characters: one line per label (and series). */
export function textBars(data: ChartData): string {
  const labels = data.labels.map((l) => l.replace(/\r?\n/g, '⏎'));
  const width = Math.min(24, Math.max(...labels.map((l) => [...l].length)));
  const pad = (s: string) => {
    const chars = [...s];
    return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : s + ' '.repeat(width - chars.length);
  };
  const max = Math.max(...data.series.flatMap((s) => s.values.map((v) => Math.abs(v ?? 0))));
  const lines: string[] = [];
  for (const s of data.series) {
    if (data.series.length > 1) lines.push(`${s.name}:`);
    s.values.forEach((v, i) => lines.push(`${pad(labels[i])}  ${v === null ? 'NULL' : `${bar(v, max)} ${full(v)}`}`.trimEnd()));
    if (data.series.length > 1) lines.push('');
  }
  if (data.truncatedFrom) lines.push(`(the first ${data.labels.length} of ${data.truncatedFrom} rows)`);
  return lines.join('\n').trimEnd();
}
