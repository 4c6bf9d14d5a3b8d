// `sessql report`: each statement of an inventory file becomes a titled section of a standalone
// HTML page (inline SVG charts) or a Markdown document. Invariants: everything is planned before the
// first API call; any error stops the run and leaves no report (the file is written whole or not at all).
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { SessqlError, toSessqlError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import { isQuiet, printError, printInfo, printNotice, printWarning } from '../io.js';
import { withEngine } from '../lifecycle.js';
import { commandOptions, positiveInt, type CommandModule, type GlobalOptions } from '../options.js';
import type { AnnotatedFile } from '../report/annotate.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Report, ReportSection } from '../report/model.js';
import { checkOutputFolder, StatusLine, writeFileAtomic } from '../report/output-file.js';
import { loadSources, locate, prepare } from '../report/sources.js';
import { chartData, MAX_POINTS } from '../report/svg-chart.js';
import { templateVars } from '../vars.js';
import { version } from '../version.js';

export const reportFormats = ['html', 'md'] as const;
export type ReportFormat = (typeof reportFormats)[number];

const RENDER: Record<ReportFormat, (r: Report) => string> = { html: renderHtml, md: renderMarkdown };

export interface ReportOptions extends GlobalOptions {
  file: string[];
  /** -o/--output (also --format): html, md or markdown. */
  output?: string;
  format?: ReportFormat | 'markdown';
  /** -O/--outfile (also --out). */
  outfile?: string;
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

As in exec, -o is the format and -O the output file. (The old spelling -o report.html still
writes the file, with a notice.)
Exit codes: 0 report written, 1 runtime or API failure, 2 usage or SQL error (no report is
written on an error), 3 with --partial, written but some fan-out calls failed.
The format follows -o, else the extension of -O (.md → Markdown), else HTML.

Example:
  sessql --demo report -f examples/inventory.sql -O inventory.html
`;

const FORMAT_NAMES = ['html', 'md', 'markdown'];

export const reportCommand: CommandModule = {
  name: 'report',
  configure: (cmd, run) => {
    cmd
      .description('run an inventory SQL file and write an HTML (with charts) or Markdown report')
      .requiredOption('-f, --file <path...>', 'SQL files (several ;-separated statements; - reads stdin)')
      // not .choices(): the old spelling `-o report.html` (a file) is still accepted, with a notice
      .option('-o, --output <format>', 'report format: html, md or markdown (default: from the -O extension, else html)')
      .option('-O, --outfile <path>', 'write the report to this file (default: stdout)')
      .addOption(new Option('--format <format>', 'the same as -o').choices(FORMAT_NAMES).hideHelp())
      .addOption(new Option('--out <path>', 'the same as -O').hideHelp())
      .option('--title <text>', 'report title (default: a -- report: comment atop the first file, else the file names)')
      .option('--max-rows <n>', 'table rows shown per section', positiveInt, DEFAULT_MAX_ROWS)
      .addHelpText('after', HELP)
      .action(async (_opts, c: Command) => {
        run.exitCode = await runReport(normaliseReportOptions(commandOptions<ReportOptions>(c)));
      });
  },
};

/**
 * -o is the format and -O the file, as in exec. Before, -o named the file: a -o value that is not
 * a format name is still taken as the file, with a notice.
 */
export function normaliseReportOptions(opts: ReportOptions): ReportOptions {
  let { output, outfile, format } = opts;
  outfile ??= opts.out;
  if (output !== undefined && !FORMAT_NAMES.includes(output.toLowerCase())) {
    if (outfile !== undefined) {
      throw new SessqlError('INVALID_OPTION', `report -o takes the format (${FORMAT_NAMES.join(', ')}), not '${output}'`, {
        hint: `-O ${outfile} already names the output file`,
      });
    }
    printNotice(`report -o now takes the format, as in exec; writing the file ${output} as with -O ${output} (use -O for the file)`);
    outfile = output;
    output = undefined;
  }
  if (output !== undefined) format = output.toLowerCase() as ReportOptions['format'];
  return { ...opts, output, format, outfile, out: outfile };
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

  const status = new StatusLine();
  try {
    return await withEngine(opts, (engine) => reportAll(engine, sources, status, opts, format), { progress: false });
  } finally {
    status.clear();
  }
}

async function reportAll(engine: Engine, sources: AnnotatedFile[], status: StatusLine, opts: ReportOptions, format: ReportFormat): Promise<number> {
  const vars = templateVars(opts);
  const statements = sources.flatMap((s) => s.statements);
  const prepared = statements.map((st) => prepare(engine, st, vars));
  const broken = prepared.flatMap((p, i) => (p.ok ? [] : [locate(p.error, statements[i])]));
  if (broken.length) return fail(broken, opts);
  const sections: ReportSection[] = [];
  let failedCalls = 0;
  for (const [i, st] of statements.entries()) {
    if (!isQuiet()) status.show(`[${i + 1}/${statements.length}] ${st.title}`);
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
    const s: ReportSection = {
      title,
      description,
      chart,
      sql: query,
      file,
      line,
      columns: result.columns,
      rows: result.rows,
      types: result.types,
      failedCalls: result.failedCalls ?? 0,
    };
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
    printInfo(`wrote ${opts.out} (${format === 'html' ? 'HTML' : 'Markdown'}, ${sections.length} section${sections.length === 1 ? '' : 's'})\n`);
  } else {
    process.stdout.write(text);
  }
  // partial results (--partial) are written, but the exit code says they are incomplete
  return failedCalls > 0 ? 3 : 0;
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
