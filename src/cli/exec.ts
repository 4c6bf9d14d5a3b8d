// `sessql exec`: runs SQL (and meta-commands) from the argument, files and stdin, printing each
// result as it completes. Invariant: the first failure stops the script (unless
// --continue-on-error) and decides the exit code; results go to stdout or --outfile only.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { SessqlError } from '../errors.js';
import { createEngine, type Engine, type EngineOptions } from '../engine/engine.js';
import type { Demo } from '../simulator/demo.js';
import type { ExecOptions, GlobalOptions } from './main.js';
import { readTextFile } from './main.js';
import { readStdin, useColor } from './io.js';
import { createProgress, type Progress } from './progress.js';
import { parseScript, runScript, type ScriptItem } from './script.js';
import { initialState, processIO, Session, type SessionState } from './shell/session.js';
import { templateVars } from './vars.js';
import { withConfigFile } from '../config/index.js';

export interface SqlSource {
  text: string;
  /** `<argument>`, `<stdin>` or the file's path (shown with errors as `--> path:line`). */
  name: string;
}

/** The SQL sources of a command: the argument, then each file (`-` is stdin), else stdin. */
export async function gatherSources(inline: string, files: string[] | undefined): Promise<SqlSource[]> {
  const sources: SqlSource[] = [];
  if (inline.trim()) sources.push({ text: inline, name: '<argument>' });
  for (const f of files ?? []) sources.push(f === '-' ? { text: await readStdin(), name: '<stdin>' } : { text: readTextFile(f), name: f });
  if (sources.length === 0) {
    if (process.stdin.isTTY) {
      throw new SessqlError('INVALID_OPTION', 'no SQL given', { hint: 'pass SQL as an argument, with -f file.sql, or on stdin (or run `sessql shell`)' });
    }
    sources.push({ text: await readStdin(), name: '<stdin>' });
  }
  return sources;
}

/**
 * Merged options of a command and its parents. Unlike commander's optsWithGlobals, a value the
 * user gave before the command (`sessql --no-cache exec …`) is not overridden by the
 * subcommand's default for the same option.
 */
export function commandOptions<T>(cmd: Command): T {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const out: Record<string, unknown> = {};
  for (const c of chain) {
    for (const [k, v] of Object.entries(c.opts())) {
      if (out[k] === undefined || c.getOptionValueSource(k) !== 'default') out[k] = v;
    }
  }
  return out as T;
}

/** Engine options shared by every command: demo simulators, extra manifests, pushdown, cache. */
export async function engineOptions(opts: GlobalOptions): Promise<{ options: EngineOptions; demo?: Demo }> {
  const options: EngineOptions = withConfigFile({
    manifests: opts.providerFile,
    pushdown: opts.pushdown,
    allowWrites: opts.allowWrites,
    partial: opts.partial,
    // undefined: the engine's default (or a config file's setting) applies
    cache: opts.cache === false ? false : opts.cacheTtl !== undefined ? { ttlSeconds: opts.cacheTtl } : undefined,
  }, opts);
  if (opts.db !== undefined) {
    const { HistorySource } = await import('../history/source.js');
    const { openHistoryStore } = await import('../history/open.js');
    options.history = new HistorySource(await openHistoryStore(opts.db, { readOnly: true }));
  }
  if (!opts.demo) return { options };
  const { startDemo } = await import('../simulator/demo.js');
  const demo = await startDemo();
  return { options: { ...options, config: demo.config }, demo };
}

/** Where results go: stdout, or the --outfile (opened before anything runs, so a bad path costs no API call). */
function resultSink(outfile: string | undefined): { write: (text: string) => void; close: () => void } {
  if (!outfile) return { write: (t) => void process.stdout.write(t), close: () => {} };
  let fd: number;
  try {
    fd = openSync(outfile, 'w');
  } catch (e) {
    throw new SessqlError('INVALID_OPTION', `cannot write --outfile ${outfile}: ${(e as Error).message}`);
  }
  return { write: (t) => void writeSync(fd, t), close: () => closeSync(fd) };
}

/** The session state an exec run starts with: output format, template variables, --dry-run. */
export function execState(opts: ExecOptions): SessionState {
  return initialState({ output: opts.output, vars: templateVars(opts), explain: Boolean(opts.dryRun), echo: Boolean(opts.dryRun) });
}

export async function runExec(inline: string, opts: ExecOptions): Promise<number> {
  const sources = await gatherSources(inline, opts.file);
  const items: ScriptItem[] = sources.flatMap((s) => parseScript(s.text, s.name));
  const sink = resultSink(opts.outfile);
  const toTerminal = !opts.outfile && Boolean(process.stdout.isTTY);
  const io = processIO({ debug: opts.debug, out: sink.write, terminal: toTerminal, color: toTerminal && useColor(process.stdout) });
  try {
    return await withEngine(opts, (engine, progress) => runScript(items, new Session(engine, execState(opts), io, progress), { continueOnError: opts.continueOnError }));
  } finally {
    sink.close();
  }
}

/** Runs `fn` with an engine (and the demo simulators, the progress line), closing them after. */
export async function withEngine<T>(opts: GlobalOptions, fn: (engine: Engine, progress?: Progress) => Promise<T>): Promise<T> {
  const { options, demo } = await engineOptions(opts);
  try {
    const progress = createProgress(process.stderr);
    const engine = createEngine({ ...options, onEvent: progress?.onEvent });
    try {
      return await fn(engine, progress);
    } finally {
      engine.close();
    }
  } finally {
    await demo?.close();
  }
}
