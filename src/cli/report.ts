// `sessql report`: each statement of an inventory file becomes a titled section of a standalone
// HTML page (inline SVG charts) or a Markdown document. Invariants: everything is planned before the
// first API call; any error stops the run and leaves no report (the file is written whole or not at all).
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { SessqlError, toSessqlError } from '../errors.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { positiveInt } from './check.js';
import { commandOptions, engineOptions } from './exec.js';
import { printError, printWarning } from './io.js';
import type { GlobalOptions } from './main.js';
import type { AnnotatedFile } from './report/annotate.js';
import { renderHtml } from './report/html.js';
import { renderMarkdown } from './report/markdown.js';
import type { Report, ReportSection } from './report/model.js';
import { checkOutputFolder, StatusLine, writeFileAtomic } from './report/output-file.js';
import { loadSources, locate, prepare } from './report/sources.js';
import { chartData, MAX_POINTS } from './report/svg-chart.js';
import { templateVars } from './vars.js';
import { version } from './version.js';

export const reportFormats = ['html', 'md'] as const;
export type ReportFormat = (typeof reportFormats)[number];

const RENDER: Record<ReportFormat, (r: Report) => string> = { html: renderHtml, md: renderMarkdown };

export interface ReportOptions extends GlobalOptions {
  file: string[];
  format?: ReportFormat | 'markdown';
  out?: string;
  title?: string;
  maxRows: number;
}

const DEFAULT_MAX_ROWS = 1000;

const HELP = `
Each statement becomes a section titled by the comment directly above it:
  -- title: Sessions per region
  -- chart: bar          (HTML: draw the label column and numeric columns as a bar or line chart)
  SELECT region, count(*) AS sessions FROM cloudconnexa.vpn.sessions GROUP BY region;

Note: in report, -o names the output file (in exec, -o is the output format).
Exit codes: 0 report written, 1 runtime or API failure, 2 usage or SQL error (no report is
written on an error), 3 with --partial, written but some fan-out calls failed.
The format follows --format, else the extension of -o (.md → Markdown), else HTML.

Example:
  sessql --demo report -f examples/inventory.sql -o inventory.html
`;

export function configureReport(cmd: Command, run: { exitCode: number }): Command {
  return cmd
    .description('run an inventory SQL file and write an HTML (with charts) or Markdown report')
    .requiredOption('-f, --file <path...>', 'SQL files (several ;-separated statements; - reads stdin)')
    .addOption(new Option('--format <format>', 'report format (default: from the -o extension, else html)').choices(['html', 'md', 'markdown']))
    .option('-o, --out <path>', 'write the report to this file (default: stdout)')
    .option('--title <text>', 'report title (default: a -- report: comment atop the first file, else the file names)')
    .option('--max-rows <n>', `table rows shown per section (default ${DEFAULT_MAX_ROWS})`, positiveInt, DEFAULT_MAX_ROWS)
    .addHelpText('after', HELP)
    .exitOverride()
    .action(async (_opts, c: Command) => {
      run.exitCode = await runReport(commandOptions<ReportOptions>(c));
    });
}

/** --format, else the output file's extension, else HTML. */
export function reportFormat(format: ReportOptions['format'], out: string | undefined): ReportFormat {
  if (format) return format === 'markdown' ? 'md' : format;
  const ext = out ? extname(out).toLowerCase() : '';
  return ext === '.md' || ext === '.markdown' ? 'md' : 'html';
}

/** SOURCE_DATE_EPOCH (seconds) makes the timestamp reproducible; otherwise now. */
export function generatedAt(env: Record<string, string | undefined> = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

export async function runReport(opts: ReportOptions): Promise<number> {
  const format = reportFormat(opts.format, opts.out);
  if (opts.out) checkOutputFolder(opts.out);
  const loaded = await loadSources(opts.file);
  const unreadable = loaded.flatMap((l) => (l.ok ? [] : [l.error]));
  if (unreadable.length) return fail(unreadable, opts);
  const sources = loaded.flatMap((l) => (l.ok ? [l.source] : []));

  const { options, demo } = await engineOptions(opts);
  let engine: Engine | undefined;
  const status = new StatusLine();
  try {
    engine = createEngine(options);
    const vars = templateVars(opts);
    const statements = sources.flatMap((s) => s.statements);
    const prepared = statements.map((st) => prepare(engine!, st, vars));
    const broken = prepared.flatMap((p, i) => (p.ok ? [] : [locate(p.error, statements[i])]));
    if (broken.length) return fail(broken, opts);
    const sections: ReportSection[] = [];
    let failedCalls = 0;
    for (const [i, st] of statements.entries()) {
      status.show(`[${i + 1}/${statements.length}] ${st.title}`);
      const p = prepared[i];
      let result;
      try {
        result = await engine.query(p.ok ? p.sql : st.query);
      } catch (e) {
        status.clear();
        return fail([locate(toSessqlError(e), st)], opts);
      }
      status.clear();
      for (const w of result.warnings) printWarning(`${st.file}:${st.line} '${st.title}': ${w}`);
      const { title, description, chart, query, file, line } = st;
      const s: ReportSection = { title, description, chart, sql: query, file, line, columns: result.columns, rows: result.rows, types: result.types, failedCalls: result.failedCalls ?? 0 };
      failedCalls += s.failedCalls ?? 0;
      if (chart) {
        const data = chartData(s.columns, s.rows, MAX_POINTS[chart]);
        if ('reason' in data) printWarning(`${file}:${line} '${title}': no ${chart} chart: ${data.reason}`);
      }
      sections.push(s);
    }
    const report: Report = {
      title: opts.title ?? reportTitle(sources),
      generatedAt: generatedAt(),
      generator: `sessql ${version()}`,
      sources: sources.map((s) => s.file),
      sections,
      maxRows: opts.maxRows,
    };
    const text = RENDER[format](report);
    if (opts.out) {
      writeFileAtomic(opts.out, text);
      process.stderr.write(`wrote ${opts.out} (${format === 'html' ? 'HTML' : 'Markdown'}, ${sections.length} section${sections.length === 1 ? '' : 's'})\n`);
    } else {
      process.stdout.write(text);
    }
    // partial results (--partial) are written, but the exit code says they are incomplete
    return failedCalls > 0 ? 3 : 0;
  } finally {
    status.clear();
    engine?.close();
    await demo?.close();
  }
}

function reportTitle(sources: AnnotatedFile[]): string {
  return sources.find((s) => s.reportTitle)?.reportTitle ?? `sessql report: ${sources.map((s) => s.file).join(', ')}`;
}

/** Prints every error; the exit code is the worst of them (2 for the user's own errors). */
function fail(errors: SessqlError[], opts: ReportOptions): number {
  for (const e of errors) printError(e, Boolean(opts.debug));
  process.stderr.write(`no report written${opts.out ? ` (${opts.out} is unchanged)` : ''}\n`);
  return errors.some((e) => e.exitCode === 2) ? 2 : 1;
}
