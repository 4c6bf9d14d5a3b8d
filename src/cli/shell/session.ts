// A session: the state meta-commands change (output format, timing, explain, template
// variables; the cache lives on the engine) and the running of one statement or meta-command.
// Invariant: results go to `out` only; warnings, timing, progress and errors go to `err`.
import type { Engine, StatementStats, StreamedResult } from '../../engine/engine.js';
import type { SessqlError } from '../../errors.js';
import { collected, render, renderTo, type OutputFormat, type RenderInput } from '../../output/render.js';
import { significant, tokenize } from '../../sql/lexer.js';
import { renderTemplate, type TemplateVars } from '../../sql/template.js';
import { printError, printWarning } from '../io.js';
import type { Progress } from '../progress.js';
import type { ScriptItem, Where } from '../script.js';
import { fitToWidth } from './fit.js';
import { runMeta } from './meta.js';

export interface SessionState {
  output: OutputFormat;
  /** After each statement, print its time and API calls (cache hits included) on stderr. */
  timing: boolean;
  /** Queries print their plan (EXPLAIN) instead of running: no API calls are made. */
  explain: boolean;
  /** Template variables for `{{ name }}`. */
  vars: TemplateVars;
  /** Print each statement as run, template variables filled in (--dry-run). */
  echo?: boolean;
}

export function initialState(overrides: Partial<SessionState> = {}): SessionState {
  return { output: 'table', timing: false, explain: false, vars: {}, ...overrides };
}

export interface SessionIO {
  /** Results (stdout or --outfile). */
  out(text: string): void;
  /** Diagnostics (stderr). */
  err(text: string): void;
  error(e: SessqlError): void;
  warn(message: string): void;
  /** Terminal columns when results go to a terminal: tables are fitted to it. */
  width?: number;
  color: boolean;
  debug: boolean;
}

/** IO on the process streams (results to `out`, default stdout). */
export function processIO(options: { debug?: boolean; out?: (text: string) => void; terminal?: boolean; color?: boolean }): SessionIO {
  const terminal = options.terminal ?? Boolean(process.stdout.isTTY);
  return {
    out: options.out ?? ((t) => void process.stdout.write(t)),
    err: (t) => void process.stderr.write(t),
    error: (e) => printError(e, Boolean(options.debug)),
    warn: printWarning,
    // read at each result, so a resized terminal is honoured
    get width() {
      return terminal ? process.stdout.columns || 80 : undefined;
    },
    color: options.color ?? false,
    debug: Boolean(options.debug),
  };
}

const QUERY_START = new Set(['select', 'with', 'values']);

/** True for a statement that fetches (SELECT, WITH, VALUES), as opposed to SHOW/DESCRIBE/EXPLAIN. */
export function isQuery(sql: string): boolean {
  try {
    const first = significant(tokenize(sql))[0];
    return first?.kind === 'word' && QUERY_START.has(first.text.toLowerCase());
  } catch {
    return false;
  }
}

export class Session {
  /** Set by `.quit`: the script (or shell) stops after the current item. */
  quit = false;
  /** Fan-out calls left out of results so far (the `partial` engine option). */
  failedCalls = 0;
  private printed = 0;

  constructor(
    readonly engine: Engine,
    readonly state: SessionState,
    readonly io: SessionIO,
    private readonly progress?: Progress,
  ) {}

  async run(item: ScriptItem, signal?: AbortSignal): Promise<void> {
    if (item.kind === 'meta') return runMeta(this, item.text, signal);
    return this.runSql(item.text, signal);
  }

  /** Runs one SQL statement: template variables applied, EXPLAIN instead when explain is on. */
  async runSql(sql: string, signal?: AbortSignal): Promise<void> {
    const text = renderTemplate(sql, this.state.vars);
    const statement = this.state.explain && isQuery(text) ? `EXPLAIN ${text}` : text;
    if (this.state.echo) this.io.out(`${text.trim()};\n`);
    this.progress?.start();
    try {
      // rows stream from SQLite to the output (csv, json, ndjson never hold the whole result)
      for await (const result of this.engine.stream(statement, signal)) {
        this.progress?.stop();
        this.show(result);
      }
    } finally {
      this.progress?.stop();
    }
  }

  /** Prints a result set in the current output format (tables fitted to the terminal); rows are read once. */
  print(rs: RenderInput): void {
    const format = this.state.output;
    if (this.printed++ > 0 && format === 'table') this.io.out('\n');
    const options = { width: this.io.width, color: this.io.color };
    if (format === 'table' && this.io.width) {
      const all = collected(rs);
      this.io.out(fitToWidth(render(format, all, options), all, this.io.width, this.io.color));
      return;
    }
    renderTo(format, rs, options, (chunk) => this.io.out(chunk));
  }

  reportError(err: SessqlError, where?: Where): void {
    this.io.error(err);
    if (where && where.source !== '<argument>' && where.source !== '<shell>') this.io.err(`  --> ${where.source}:${where.line}\n`);
  }

  private show(result: StreamedResult): void {
    for (const w of result.warnings) this.io.warn(w);
    this.failedCalls += result.failedCalls;
    this.print(result);
    if (this.state.timing) this.io.err(timingLine(result.stats));
  }
}

/** `Time: 0.412 s · fetches: 2 (1 from cache) · requests: 3 · pages: 3 · rows fetched: 250` */
export function timingLine(s: StatementStats): string {
  const parts = [`Time: ${(s.elapsedMs / 1000).toFixed(3)} s`, `fetches: ${s.fetches + s.cacheHits} (${s.cacheHits} from cache)`];
  parts.push(`requests: ${s.requests}`, `pages: ${s.pages}`, `rows fetched: ${s.rowsFetched}`);
  if (s.retries) parts.push(`retries: ${s.retries}`);
  if (s.throttled) parts.push(`throttled: ${s.throttled}`);
  if (s.polls) parts.push(`polls: ${s.polls}`);
  return `${parts.join(' · ')}\n`;
}
