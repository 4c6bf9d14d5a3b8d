// The command line: the only code that touches process, stdin/stdout and the terminal. stdout
// carries results only; warnings, progress and errors go to stderr. Exit codes: 0 success,
// 1 runtime/API failure, 2 the user's own error (SQL, parameters, options, credentials).
// Nothing imports this module: commands, options and the runner live in their own modules.
import { Command, CommanderError } from 'commander';
import { SessqlError, toSessqlError } from '../errors.js';
import { COMMANDS } from './commands/index.js';
import { onTerminal, shellByDefault } from './commands/shell.js';
import { programHelp } from './help.js';
import { exitQuietlyOnClosedPipe, printError, setQuiet } from './io.js';
import { addGlobalOptions, type RunState } from './options.js';
import { version } from './version.js';

/**
 * commander's own messages (unknown option, missing argument, bad value) in sessql's format:
 * `error[INVALID_OPTION]: …` and a `hint:` line (its suggestion, or where the help is).
 */
function commanderError(message: string, commandName: string): string {
  const lines = message
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const text = (lines[0] ?? 'invalid option').replace(/^error:\s*/, '');
  const suggestion = lines
    .slice(1)
    .join(' ')
    .replace(/^\((.*)\)$/, '$1');
  const help = commandName === 'sessql' ? 'sessql --help' : `sessql ${commandName} --help`;
  return `error[INVALID_OPTION]: ${text}\nhint: ${suggestion ? `${suggestion} (see ${help})` : `see ${help}`}\n`;
}

/** Settings every command inherits: our error format, no process.exit from commander. */
function configure(cmd: Command): Command {
  return cmd
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (message, write) => write(commanderError(message, cmd.name())) });
}

export function buildProgram(run: RunState): Command {
  const program = configure(addGlobalOptions(new Command('sessql')))
    .description('SQL over remote-access sessions: OpenVPN CloudConnexa, Azure Bastion and other session APIs')
    .version(version(), '-V, --version')
    .addHelpText('after', programHelp);
  for (const m of COMMANDS) m.configure(configure(addGlobalOptions(program.command(m.name))), run);
  return program;
}

/**
 * An argument that is SQL starting with a comment (`-- note\nSELECT 1`, `/* … *\/`) is not an
 * option: a leading space keeps commander from reading it as one, and means nothing to SQL.
 */
export function protectSqlArguments(argv: string[]): string[] {
  return argv.map((a) => (/^--\s/.test(a) || /^-[^\n]*\n/.test(a) ? ` ${a}` : a));
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const run: RunState = { exitCode: 0 };
  const program = buildProgram(run);
  const debug = argv.includes('--debug');
  setQuiet(argv.includes('--quiet') || argv.includes('-q'));
  try {
    if (argv.length === 0 && !onTerminal() && process.stdin.isTTY) {
      program.outputHelp();
      return 0;
    }
    const commandNames = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
    await program.parseAsync(shellByDefault(protectSqlArguments(argv), commandNames), { from: 'user' });
    return run.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message (unknown option, missing argument, --help, --version)
      return e.exitCode === 0 ? 0 : 2;
    }
    const err = e instanceof SessqlError ? e : toSessqlError(e);
    printError(err, debug);
    return err.exitCode;
  }
}
