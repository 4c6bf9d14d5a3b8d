// `sessql shell`: the interactive REPL on a terminal, or batch mode (a script read from stdin
// as it arrives, no prompt, no colour) when stdin is not a terminal. Invariant: the engine and
// the demo simulators are closed however the shell ends.
import type { Command } from 'commander';
import type { OutputFormat } from '../../output/render.js';
import { useColor } from '../io.js';
import { withEngine } from '../lifecycle.js';
import { commandOptions, type CommandModule, type GlobalOptions } from '../options.js';
import { readScript } from '../runner/script.js';
import { Session } from '../runner/session.js';
import { initialState, processIO } from '../runner/state.js';
import { History, historyPath } from '../shell/history.js';
import { templateVars } from '../vars.js';
import { version } from '../version.js';
import { outputOption } from './exec.js';

export interface ShellOptions extends GlobalOptions {
  output: OutputFormat;
  continueOnError?: boolean;
}

export const SHELL_HELP = `
In the shell:
  Statements end with ; and may span several lines (pasted text runs only at its ;).
  Tab completes keywords, provider.service.resource names and the columns of the tables
  named in the statement; Ctrl-R searches the history; Ctrl-C cancels a running statement
  (or clears the line); Ctrl-D or .quit exits. .help lists the meta-commands:
  .tables [pattern]  .describe <table>  .schema [table]  .mode <format>  .output [FILE]
  .once FILE  .read FILE  .headers on|off  .vertical (\\x)  .timing on|off  .explain on|off
  .vars  .set <name> <value>  .cache [on|off|clear|ttl <seconds>]  .quit

History: $XDG_STATE_HOME/sessql/history (default ~/.local/state/sessql/history).

Examples:
  sessql --demo                         # a shell on the built-in simulators
  sessql shell -o json
  sessql shell < checks.sql             # batch mode: the same as sessql exec -f checks.sql
  echo "SELECT 1;" | sessql             # a script on stdin with no command runs it too
`;

export const shellCommand: CommandModule = {
  name: 'shell',
  configure: (cmd, run) => {
    cmd
      .description('interactive SQL shell (the default with no arguments on a terminal); runs a script when stdin is not a terminal')
      .addOption(outputOption('initial output format'))
      .option('--continue-on-error', 'batch mode: run the statements after a failed one too')
      .addHelpText('after', SHELL_HELP)
      .action(async (_opts, c: Command) => {
        run.exitCode = await runShell(commandOptions<ShellOptions>(c));
      });
  },
};

/** stdin and stdout are both terminals. */
export function onTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/**
 * No command at all (or only global options such as `--demo`) means the shell: the interactive
 * one on a terminal, batch mode when stdin is a pipe or file (`echo "SELECT 1;" | sessql`, as
 * sqlite3 and psql do). With stdin on a terminal but stdout not, commander prints the help.
 */
export function shellByDefault(argv: string[], commandNames: Set<string>): string[] {
  const stdinScript = !process.stdin.isTTY;
  if (!onTerminal() && !stdinScript) return argv;
  if (argv.length === 0) return ['shell'];
  const asks = new Set(['-h', '--help', '-V', '--version', 'help']);
  const onlyOptions = argv[0].startsWith('-') && !argv.some((a) => commandNames.has(a) || asks.has(a));
  return onlyOptions ? ['shell', ...argv] : argv;
}

export async function runShell(opts: ShellOptions): Promise<number> {
  return withEngine(opts, async (engine, progress) => {
    const interactive = Boolean(process.stdin.isTTY);
    // batch mode: no prompt and no colour
    const io = processIO({ debug: opts.debug, color: interactive && useColor(process.stdout) });
    const session = new Session(engine, initialState({ output: opts.output, vars: templateVars(opts) }), io, progress);
    if (!interactive) {
      const { createInterface } = await import('node:readline');
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
      return session.runScript(readScript(lines, '<stdin>'), { continueOnError: opts.continueOnError });
    }
    return runInteractive(session, Boolean(opts.demo));
  });
}

async function runInteractive(session: Session, demo: boolean): Promise<number> {
  // the prompt and the echo go to the terminal even when results are redirected
  const output = process.stdout.isTTY ? process.stdout : process.stderr;
  const history = new History(historyPath(), { onError: (m) => session.io.warn(m) });
  history.load();
  const where = demo ? ' on the demo simulators' : '';
  output.write(`sessql ${version()}${where} — statements end with ;  .help for help, Ctrl-D to exit\n`);
  // the line editor (and node:readline) load only for an interactive shell: other commands start faster
  const { Repl } = await import('../shell/repl.js');
  const repl = new Repl({ input: process.stdin, output, session, history, terminal: true });
  await repl.run();
  return 0;
}
