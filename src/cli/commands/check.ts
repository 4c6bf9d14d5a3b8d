// `sessql check`: each statement of the policy files is a check that passes when it returns no rows.
// Invariants: nothing is fetched until every file and statement is read, analysed and planned (a
// broken file runs no check); exit 0 all pass, 1 a failure or runtime error, 2 usage/SQL, 3 partial.
import type { Command } from 'commander';
import { SessqlError, toSessqlError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import { render } from '../../output/render.js';
import type { ColumnHint, ResultValue } from '../../output/values.js';
import { isQuiet, printError, printWarning, useColor } from '../io.js';
import { withEngine } from '../lifecycle.js';
import { commandOptions, positiveInt, type CommandModule, type GlobalOptions } from '../options.js';
import type { AnnotatedStatement } from '../report/annotate.js';
import { junitXml, type CaseOutcome, type JUnitSuite } from '../report/junit.js';
import { checkOutputFolder, StatusLine, writeFileAtomic } from '../report/output-file.js';
import { loadSources, locate, prepare, type Prepared } from '../report/sources.js';
import { isQuery } from '../runner/statement.js';
import { templateVars } from '../vars.js';

export interface CheckOptions extends GlobalOptions {
  file: string[];
  junit?: string;
  maxRows: number;
}

type Outcome =
  | { kind: 'pass' }
  | { kind: 'fail'; columns: string[]; rows: ResultValue[][]; types?: (ColumnHint | undefined)[] }
  | { kind: 'error'; error: SessqlError }
  | { kind: 'skipped'; reason: string };

interface CheckResult {
  check: Pick<AnnotatedStatement, 'file' | 'line' | 'column' | 'title' | 'sql' | 'query'>;
  outcome: Outcome;
  elapsedMs: number;
  /** Fan-out calls left out of the result (--partial): a pass on partial data is not a clean pass. */
  failedCalls: number;
}

const DEFAULT_MAX_ROWS = 20;
const NOT_RUN = 'not run: the policy files have errors, and no check runs until they are fixed';
const INDENT = '      ';
/** Longest cell shown for an offending row, on a terminal or in a CI log. */
const MAX_CELL = 80;

const HELP = `
Each statement is a check that passes when it returns no rows. Name it with a comment directly above:
  -- check: no sessions from outside allowed countries
  SELECT ... ;

Exit codes: 0 every check passed, 1 a check failed (or could not run: API/runtime error),
2 a usage or SQL error (no check runs when a file or statement is broken),
3 with --partial, every check passed but some fan-out calls failed (their rows are missing).

Example:
  sessql --demo check -f examples/policy.sql --junit policy.xml
`;

export const checkCommand: CommandModule = {
  name: 'check',
  configure: (cmd, run) => {
    cmd
      .description('run SQL policy checks: each statement passes when it returns no rows (for CI)')
      .requiredOption('-f, --file <path...>', 'policy files (several ;-separated statements; - reads stdin)')
      .option('--junit <path>', 'also write the results as JUnit XML to this file')
      .option('--max-rows <n>', 'offending rows printed per failed check', positiveInt, DEFAULT_MAX_ROWS)
      .addHelpText('after', HELP)
      .action(async (_opts, c: Command) => {
        run.exitCode = await runCheck(commandOptions<CheckOptions>(c));
      });
  },
};

export async function runCheck(opts: CheckOptions): Promise<number> {
  const startedAt = new Date();
  const out = new Printer(opts);
  if (opts.junit) checkOutputFolder(opts.junit, `--junit ${opts.junit}`);
  const loaded = await loadSources(opts.file);
  const suites: { name: string; results: CheckResult[] }[] = [];
  try {
    return await withEngine(opts, (engine) => checkAll(engine, loaded, suites, out, opts, startedAt), { progress: false });
  } finally {
    out.clear();
  }
}

async function checkAll(
  engine: Engine,
  loaded: Awaited<ReturnType<typeof loadSources>>,
  suites: { name: string; results: CheckResult[] }[],
  out: Printer,
  opts: CheckOptions,
  startedAt: Date,
): Promise<number> {
  // 1. read, split and plan everything (no I/O)
  const vars = templateVars(opts);
  const pending: { st: AnnotatedStatement; sql: string; result: CheckResult }[] = [];
  let broken = false;
  for (const l of loaded) {
    if (!l.ok) {
      broken = true;
      suites.push({
        name: l.file,
        results: [
          {
            check: { file: l.file, line: 1, column: 1, title: l.file, sql: '', query: '' },
            outcome: { kind: 'error', error: l.error },
            elapsedMs: 0,
            failedCalls: 0,
          },
        ],
      });
      continue;
    }
    const results: CheckResult[] = [];
    for (const st of l.source.statements) {
      const prepared: Prepared = isQuery(st.sql)
        ? prepare(engine, st, vars)
        : {
            ok: false,
            error: new SessqlError('SQL_UNSUPPORTED', 'a check must be a SELECT or WITH query', {
              hint: 'the check fails when the query returns rows',
            }),
          };
      const result: CheckResult = {
        check: st,
        outcome: prepared.ok ? { kind: 'skipped', reason: '' } : { kind: 'error', error: prepared.error },
        elapsedMs: 0,
        failedCalls: 0,
      };
      if (prepared.ok) pending.push({ st, sql: prepared.sql, result });
      else broken = true;
      results.push(result);
    }
    suites.push({ name: l.source.file, results });
  }
  // 2. run the checks in order, unless a file or statement is broken
  if (broken) {
    for (const { result } of pending) result.outcome = { kind: 'skipped', reason: NOT_RUN };
    for (const s of suites) for (const r of s.results) out.result(r);
  } else {
    for (const [i, { st, sql, result }] of pending.entries()) {
      out.status(`[${i + 1}/${pending.length}] ${st.title}`);
      const t0 = performance.now();
      await runOne(engine, st, sql, result);
      result.elapsedMs = performance.now() - t0;
      out.result(result);
    }
  }
  const all = suites.flatMap((s) => s.results);
  out.summary(all);
  if (opts.junit) writeFileAtomic(opts.junit, junitXml(suites.map((s) => toSuite(s, startedAt, opts.maxRows))));
  return exitCode(all);
}

async function runOne(engine: Engine, st: AnnotatedStatement, sql: string, result: CheckResult): Promise<void> {
  try {
    const r = await engine.query(sql);
    for (const w of r.warnings) printWarning(`${st.file}:${st.line} '${st.title}': ${w}`);
    result.failedCalls = r.failedCalls ?? 0;
    result.outcome = r.rows.length ? { kind: 'fail', columns: r.columns, rows: r.rows, types: r.types } : { kind: 'pass' };
  } catch (e) {
    result.outcome = { kind: 'error', error: toSessqlError(e) };
  }
}

/** 2 a user error, else 1 a failure or runtime error, else 3 a pass on partial data (--partial), else 0. */
function exitCode(results: CheckResult[]): number {
  const errors = results.flatMap((r) => (r.outcome.kind === 'error' ? [r.outcome.error] : []));
  if (errors.some((e) => e.kind === 'user')) return 2;
  if (errors.length || results.some((r) => r.outcome.kind === 'fail')) return 1;
  return results.some((r) => r.failedCalls > 0) ? 3 : 0;
}

/** The offending rows as a plain table, at most `max` of them, then "…and N more rows". */
export function rowsTable(
  columns: string[],
  rows: ResultValue[][],
  max: number,
  o: { width?: number; color?: boolean } = {},
  types?: (ColumnHint | undefined)[],
): string {
  const text = render('table', { columns, rows: rows.slice(0, max), types }, { ...o, maxCell: MAX_CELL });
  // the renderer ends with its own "N rows" line; the total is reported by the caller instead
  const table = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1);
  const more = rows.length - max;
  return more > 0 ? `${table}…and ${more} more row${more === 1 ? '' : 's'}\n` : table;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(results: { outcome: { kind: Outcome['kind'] } }[]): string {
  const n = (k: Outcome['kind']) => results.filter((r) => r.outcome.kind === k).length;
  const parts = [`${n('pass')} passed`, `${n('fail')} failed`];
  if (n('error')) parts.push(plural(n('error'), 'error'));
  if (n('skipped')) parts.push(`${n('skipped')} not run`);
  return `${plural(results.length, 'check')}: ${parts.join(', ')}`;
}

function toSuite(s: { name: string; results: CheckResult[] }, timestamp: Date, maxRows: number): JUnitSuite {
  const classname = s.name.replace(/\.sql$/i, '');
  return {
    name: s.name,
    timestamp,
    cases: s.results.map((r) => ({
      name: r.check.title,
      classname,
      file: r.check.file,
      line: r.check.line,
      timeMs: r.elapsedMs,
      outcome: caseOutcome(r, maxRows),
    })),
  };
}

function caseOutcome(r: CheckResult, maxRows: number): CaseOutcome {
  const o = r.outcome;
  switch (o.kind) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail':
      return {
        kind: 'fail',
        message: `${plural(o.rows.length, 'row')} returned (the check passes when none is)`,
        body: `${rowsTable(o.columns, o.rows, maxRows, {}, o.types)}\n${r.check.query}\n`,
      };
    case 'error':
      return { kind: 'error', type: o.error.code, message: o.error.message, body: o.error.hint ? `hint: ${o.error.hint}\n` : '' };
    case 'skipped':
      return { kind: 'skipped', message: o.reason };
  }
}

/** Human output: result lines and offending rows on stdout, errors on stderr; colour only on a terminal. */
class Printer {
  private readonly color = useColor(process.stdout);
  private readonly width = process.stdout.isTTY ? process.stdout.columns : undefined;
  private readonly statusLine = new StatusLine();
  /** The last thing printed ends with a blank line (after a table of offending rows). */
  private blank = false;

  constructor(private readonly opts: CheckOptions) {}

  private paint(code: number, s: string): string {
    return this.color ? `\u001b[${code}m${s}\u001b[0m` : s;
  }

  status(text: string): void {
    if (!isQuiet()) this.statusLine.show(text);
  }

  clear(): void {
    this.statusLine.clear();
  }

  result(r: CheckResult): void {
    this.clear();
    const secs = `${(r.elapsedMs / 1000).toFixed(2)}s`;
    const at = `${r.check.file}:${r.check.line}`;
    const o = r.outcome;
    this.blank = o.kind === 'fail';
    switch (o.kind) {
      case 'pass': {
        const partial = r.failedCalls ? `; PARTIAL: ${plural(r.failedCalls, 'API call')} failed` : '';
        process.stdout.write(`${this.paint(32, 'PASS ')} ${r.check.title}  (${secs}${partial})\n`);
        return;
      }
      case 'fail': {
        process.stdout.write(`${this.paint(31, 'FAIL ')} ${r.check.title}  (${plural(o.rows.length, 'row')}, ${secs})\n${INDENT}at ${at}\n`);
        const width = this.width ? this.width - INDENT.length : undefined;
        const table = rowsTable(o.columns, o.rows, this.opts.maxRows, { width, color: this.color }, o.types);
        process.stdout.write(`${table.replace(/^(?=.)/gm, INDENT)}\n`);
        return;
      }
      case 'error':
        process.stdout.write(`${this.paint(31, 'ERROR')} ${r.check.title}  (${at}; the error is on stderr)\n`);
        printError(r.check.sql ? locate(o.error, r.check) : o.error, Boolean(this.opts.debug));
        return;
      case 'skipped':
        process.stdout.write(`${this.paint(33, 'SKIP ')} ${r.check.title}  (not run)\n`);
        return;
    }
  }

  summary(results: CheckResult[]): void {
    const line = summaryLine(results);
    const bad = results.some((r) => r.outcome.kind === 'fail' || r.outcome.kind === 'error');
    process.stdout.write(`${this.blank ? '' : '\n'}${this.paint(bad ? 31 : 32, line)}\n`);
  }
}
