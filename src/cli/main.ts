// The command line: the only code that touches process, stdin/stdout and the terminal. stdout
// carries results only; warnings, progress and errors go to stderr. Exit codes: 0 success,
// 1 runtime/API failure, 2 the user's own error (SQL, parameters, options, credentials).
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { SessqlError, toSessqlError } from '../errors.js';
import { outputFormats, type OutputFormat } from '../output/render.js';
import { runExec } from './exec.js';
import { printError } from './io.js';
import { version } from './version.js';

export interface GlobalOptions {
  demo?: boolean;
  debug?: boolean;
  providerFile?: string[];
  pushdown?: boolean;
}

export interface ExecOptions extends GlobalOptions {
  file?: string[];
  output: OutputFormat;
}

function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--demo', 'run against the built-in simulators on 127.0.0.1 (no credentials needed)')
    .option('--debug', 'print stack traces with errors')
    .option('--provider-file <manifest...>', 'load extra provider manifests (YAML or JSON)')
    .addOption(new Option('--no-pushdown', 'fetch with defaults only and filter everything in SQLite').hideHelp());
}

const EXAMPLES = `
Examples:
  sessql --demo exec "SELECT userName, count(*) AS n FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' GROUP BY userName ORDER BY n DESC"
  sessql exec -f report.sql -o csv
  echo "SHOW PROVIDERS" | sessql exec
  sessql exec "DESCRIBE cloudconnexa.vpn.sessions"
  sessql exec "EXPLAIN SELECT * FROM cloudconnexa.vpn.sessions WHERE status IN ('ACTIVE','FAILED')"

Credentials (read from the environment):
  CLOUDCONNEXA_BASE_URL       https://<cloud-id>.api.openvpn.com
  CLOUDCONNEXA_CLIENT_ID      API client id (with its prefix)
  CLOUDCONNEXA_CLIENT_SECRET  API client secret

Exit codes: 0 success, 1 runtime or API failure, 2 your own error (SQL, parameters, options, credentials).
`;

export function buildProgram(run: { exitCode: number }): Command {
  const program = addGlobalOptions(new Command('sessql'))
    .description('SQL over remote-access sessions: OpenVPN CloudConnexa and Azure Bastion')
    .version(version(), '-V, --version')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError()
    .exitOverride();

  addGlobalOptions(program.command('exec'))
    .description('run SQL statements given as an argument, in files (-f) or on stdin')
    .argument('[sql...]', 'SQL text (several statements separated by ;)')
    .option('-f, --file <path...>', 'read SQL from files (several ;-separated statements, -- and /* */ comments)')
    .addOption(new Option('-o, --output <format>', 'output format').choices([...outputFormats]).default('table'))
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .action(async (sqlParts: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as ExecOptions;
      run.exitCode = await runExec(sqlParts.join(' '), opts);
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const run = { exitCode: 0 };
  const program = buildProgram(run);
  const debug = argv.includes('--debug');
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
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

export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SessqlError('INVALID_OPTION', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
