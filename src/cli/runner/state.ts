// The state of a session (what meta-commands change) and where its output goes. Kept apart from
// session.ts so meta-commands can name these types without importing the session.
import type { SessqlError } from '../../errors.js';
import type { OutputFormat } from '../../output/render.js';
import type { TemplateVars } from '../../sql/template.js';
import { printError, printInfo, printWarning } from '../io.js';

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
  /** Column names above table and CSV results (`.headers on|off`). */
  headers: boolean;
  /** Tables print one record per block, a line per column (psql's `\x`). */
  vertical: boolean;
}

export function initialState(overrides: Partial<SessionState> = {}): SessionState {
  return { output: 'table', timing: false, explain: false, vars: {}, headers: true, vertical: false, ...overrides };
}

export interface SessionIO {
  /** Results (stdout or --outfile). */
  out(text: string): void;
  /** Diagnostics (stderr). */
  err(text: string): void;
  /** Information that --quiet silences (timing, "cache cleared"); `err` when absent. */
  info?(text: string): void;
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
    info: printInfo,
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
