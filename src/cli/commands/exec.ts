// `sessql exec`: runs SQL statements and meta-commands from the arguments (each one a statement or
// meta-command, as repeated `psql -c`), -c, files and stdin, printing each result as it completes.
// Invariant: the first failure stops the run (unless --continue-on-error) and decides the exit
// code; results go to stdout or --outfile only.
import { closeSync, openSync, writeSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { SessqlError } from '../../errors.js';
import { outputFormats, type OutputFormat } from '../../output/render.js';
import { gatherSources } from '../files.js';
import { useColor } from '../io.js';
import { withEngine } from '../lifecycle.js';
import { collect, commandOptions, type CommandModule, type GlobalOptions } from '../options.js';
import { parseScript, type ScriptItem } from '../runner/script.js';
import { Session } from '../runner/session.js';
import { initialState, processIO, type SessionState } from '../runner/state.js';
import { templateVars } from '../vars.js';
import { EXAMPLES } from '../help.js';

export interface ExecOptions extends GlobalOptions {
  file?: string[];
  command?: string[];
  output: OutputFormat;
  outfile?: string;
  continueOnError?: boolean;
  dryRun?: boolean;
}

export const execCommand: CommandModule = {
  name: 'exec',
  configure: (cmd, run) => {
    cmd
      .description('run SQL statements and meta-commands (such as .mode csv, .set name value) given as arguments, with -c, in files (-f) or on stdin')
      .argument('[statement...]', 'each argument is one SQL statement (or several separated by ;) or one meta-command, run in order')
      .option('-c, --command <sql>', 'a statement or meta-command, as a positional argument (repeatable; run before the positional ones)', collect)
      .option('-f, --file <path...>', 'read SQL from files (several ;-separated statements, -- and /* */ comments)')
      .addOption(outputOption('output format'))
      .option('-O, --outfile <path>', 'write results to a file instead of stdout')
      .option('--continue-on-error', 'run the statements after a failed one too (the exit code still reports the failure)')
      .option('--dry-run', 'print each statement with its template variables filled in, and its EXPLAIN plan as -- comments, without calling any API')
      .addHelpText('after', EXAMPLES)
      .action(async (statements: string[], _opts, c: Command) => {
        const opts = commandOptions<ExecOptions>(c);
        run.exitCode = await runExec([...(opts.command ?? []), ...statements], opts);
      });
  },
};

/** `-o, --output <format>`: the result format, the same flag in exec and shell. */
export function outputOption(description: string): Option {
  return new Option('-o, --output <format>', description).choices([...outputFormats]).default('table');
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

export async function runExec(statements: string[], opts: ExecOptions): Promise<number> {
  const sources = await gatherSources(statements, opts.file);
  const items: ScriptItem[] = sources.flatMap((s) => parseScript(s.text, s.name));
  const sink = resultSink(opts.outfile);
  const toTerminal = !opts.outfile && Boolean(process.stdout.isTTY);
  const io = processIO({ debug: opts.debug, out: sink.write, terminal: toTerminal, color: toTerminal && useColor(process.stdout) });
  try {
    return await withEngine(opts, (engine, progress) =>
      new Session(engine, execState(opts), io, progress).runScript(items, { continueOnError: opts.continueOnError }),
    );
  } finally {
    sink.close();
  }
}
