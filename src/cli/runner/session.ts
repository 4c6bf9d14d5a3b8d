// A session: the state meta-commands change (output format and destination, headers, vertical
// mode, timing, explain, template variables; the cache lives on the engine) and the running of
// statements, meta-commands and whole scripts — for exec, the shell, and `.read`.
// Invariant: results go to `out` (or the .output/.once file) only; warnings, timing, progress and
// errors go to `err`.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Engine, StatementStats, StreamedResult } from '../../engine/engine.js';
import { SessqlError, toSessqlError } from '../../errors.js';
import { collected, render, renderTo, type RenderInput } from '../../output/render.js';
import { renderTemplate } from '../../sql/template.js';
import type { Progress } from '../progress.js';
import { fitToWidth } from './fit.js';
import { runMeta, type MetaHost } from './meta.js';
import { parseScript, type ScriptItem, type Where } from './script.js';
import type { SessionIO, SessionState } from './state.js';
import { isQuery, terminated } from './statement.js';
import { withoutHeaders, vertical } from './vertical.js';

/** Results sent to a file by `.output FILE` (until `.output` again) or `.once FILE` (one statement). */
interface Redirect {
  path: string;
  fd: number;
  once: boolean;
}

export interface RunScriptOptions {
  /** Run later items after a failure (the exit code is still the first failure's). */
  continueOnError?: boolean;
  signal?: AbortSignal;
}

export class Session implements MetaHost {
  /** Set by `.quit`: the script (or shell) stops after the current item. */
  quit = false;
  /** Fan-out calls left out of results so far (the `partial` engine option). */
  failedCalls = 0;
  private printed = 0;
  private redirect?: Redirect;
  /** Files being read by `.read`, to refuse a file that reads itself. */
  private readonly reading: string[] = [];

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
    const planOnly = this.state.explain && isQuery(text);
    const statement = planOnly ? `EXPLAIN ${text}` : text;
    if (this.state.echo) this.write(`${terminated(text)}\n`);
    this.progress?.start();
    try {
      // rows stream from SQLite to the output (csv, json, ndjson never hold the whole result)
      for await (const result of this.engine.stream(statement, signal)) {
        this.progress?.stop();
        this.show(result, Boolean(this.state.echo && planOnly));
      }
    } finally {
      this.progress?.stop();
      this.endOnce();
    }
  }

  /**
   * Runs items in order. Returns 0, or the exit code of the first failure (2 for the user's own
   * error, 1 for a runtime failure); without continueOnError nothing after a failure runs.
   */
  async runScript(items: Iterable<ScriptItem> | AsyncIterable<ScriptItem>, options: RunScriptOptions = {}): Promise<number> {
    let code = 0;
    for await (const item of items) {
      try {
        await this.run(item, options.signal);
      } catch (e) {
        const err = toSessqlError(e);
        this.reportError(err, item.where);
        if (code === 0) code = err.exitCode;
        if (!options.continueOnError) break;
      }
      if (this.quit) break;
    }
    // partial results (--partial) are a success the caller must not mistake for a complete one
    return code === 0 && this.failedCalls > 0 ? 3 : code;
  }

  /** `.read FILE`: the file's statements and meta-commands, in this session; the first failure is thrown. */
  async runFile(path: string, text: string, signal?: AbortSignal): Promise<void> {
    if (this.reading.includes(path)) throw new SessqlError('INVALID_OPTION', `.read ${path}: the file is already being read (it reads itself)`);
    this.reading.push(path);
    try {
      for (const item of parseScript(text, path)) {
        try {
          await this.run(item, signal);
        } catch (e) {
          const err = toSessqlError(e);
          throw new SessqlError(err.code, `${item.where.source}:${item.where.line}: ${err.message}`, {
            hint: err.hint,
            cause: err,
            details: err.details,
          });
        }
        if (this.quit) return;
      }
    } finally {
      this.reading.pop();
    }
  }

  /** Sends results to a file from now on (`.output FILE`), or for the next statement only (`.once FILE`). */
  redirectTo(path: string, once: boolean): void {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (e) {
      throw new SessqlError('INVALID_OPTION', `cannot write ${path}: ${(e as Error).message}`);
    }
    this.closeRedirect();
    this.redirect = { path, fd, once };
  }

  /** Results go to stdout (or --outfile) again; returns the file that was written, if any. */
  closeRedirect(): string | undefined {
    const r = this.redirect;
    if (!r) return undefined;
    this.redirect = undefined;
    closeSync(r.fd);
    return r.path;
  }

  /** Where results go now: a file name, or undefined for the session's own output. */
  get destination(): string | undefined {
    return this.redirect?.path;
  }

  /** Prints a result set in the current output format (tables fitted to the terminal); rows are read once. */
  print(rs: RenderInput, o: { asComment?: boolean } = {}): void {
    const format = this.state.output;
    const toFile = this.redirect !== undefined;
    const width = toFile ? undefined : this.io.width;
    const color = toFile ? false : this.io.color;
    if (this.printed++ > 0 && format === 'table') this.write('\n');
    if ((format === 'csv' || format === 'json' || format === 'ndjson') && this.state.headers) {
      renderTo(format, rs, { width, color }, (chunk) => this.write(chunk));
      return;
    }
    const all = collected(rs);
    let text: string;
    if (format === 'table' && this.state.vertical) text = vertical(all, { width, color });
    else {
      text = render(format, all, { width, color });
      if (format === 'table' && width) text = fitToWidth(text, all, width, color);
      if (!this.state.headers) text = withoutHeaders(format, text);
    }
    // --dry-run in table format: the plan as SQL comments, so the whole output pastes back as SQL
    if (o.asComment && format === 'table') text = text.replace(/^/gm, '-- ').replace(/-- $/, '');
    this.write(text);
  }

  reportError(err: SessqlError, where?: Where): void {
    this.io.error(err);
    if (where && where.source !== '<argument>' && where.source !== '<shell>') this.io.err(`  --> ${where.source}:${where.line}\n`);
  }

  /** Information --quiet silences. */
  info(text: string): void {
    (this.io.info ?? this.io.err)(text);
  }

  private write(text: string): void {
    if (this.redirect) writeSync(this.redirect.fd, text);
    else this.io.out(text);
  }

  private endOnce(): void {
    if (this.redirect?.once) this.closeRedirect();
  }

  private show(result: StreamedResult, asComment: boolean): void {
    for (const w of result.warnings) this.io.warn(w);
    this.failedCalls += result.failedCalls;
    this.print(result, { asComment });
    if (this.state.timing) this.info(timingLine(result.stats));
  }
}

/** Runs a script's items in a session (see Session.runScript). */
export function runScript(
  items: Iterable<ScriptItem> | AsyncIterable<ScriptItem>,
  session: Session,
  options: RunScriptOptions = {},
): Promise<number> {
  return session.runScript(items, options);
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
export { initialState, processIO, type SessionIO, type SessionState } from './state.js';
