// The command line: the only code that touches process, stdin/stdout and the terminal. stdout
// carries results only; warnings, progress and errors go to stderr. Exit codes: 0 success,
// 1 runtime/API failure, 2 the user's own error (SQL, parameters, options, credentials).
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SessqlError, toSessqlError } from '../errors.js';
import { outputFormats, type OutputFormat } from '../output/render.js';
import { commandOptions, runExec } from './exec.js';
import { onTerminal, runShell, SHELL_HELP, shellByDefault, type ShellOptions } from './shell/index.js';
import { printError } from './io.js';
import { configureCheck } from './check.js';
import { configureReport } from './report.js';
import { configureSync } from './sync.js';
import { version } from './version.js';

export interface GlobalOptions {
  demo?: boolean;
  debug?: boolean;
  providerFile?: string[];
  pushdown?: boolean;
  /** false with --no-cache. */
  cache?: boolean;
  /** --cache-ttl <seconds>. */
  cacheTtl?: number;
  /** --config <path>: the config file instead of the looked-up sessql.config.yaml. */
  config?: string;
  /** --var name=value, repeatable. */
  var?: string[];
  varsFile?: string;
  allowWrites?: boolean;
  partial?: boolean;
  /** --db TARGET: read the history database instead of the APIs (sync: write it). */
  db?: string;
}

export interface ExecOptions extends GlobalOptions {
  file?: string[];
  output: OutputFormat;
  outfile?: string;
  continueOnError?: boolean;
  dryRun?: boolean;
}

function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--demo', 'run against the built-in simulators on 127.0.0.1 (no credentials needed)')
    .option('--debug', 'print stack traces with errors')
    .option('--provider-file <manifest...>', 'load extra provider manifests (YAML or JSON)')
    .option('--config <path>', 'config file (default: ./sessql.config.yaml, else $XDG_CONFIG_HOME/sessql/config.yaml)')
    .addOption(new Option('--no-pushdown', 'fetch with defaults only and filter everything in SQLite').hideHelp())
    .option('--no-cache', 'fetch again for every statement instead of reusing recent results')
    .option('--cache-ttl <seconds>', 'reuse fetched rows for this long within a run or shell session (default 300)', parseSeconds)
    .option('--var <name=value>', 'a template variable for {{ name }} in the SQL (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--vars-file <path>', 'template variables from a JSON or YAML file of name: value pairs')
    .option('--allow-writes', 'allow EXEC methods that change data (such as disconnecting sessions)')
    .option('--partial', 'keep the rows of fan-out calls that succeeded when others fail: a warning per failed call, exit code 3')
    .option('--db <target>', 'query the history database (a SQLite file or a postgres:// URL written by `sessql sync`) instead of the APIs');
}

function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError('expected a number of seconds');
  return Number(value);
}

const EXAMPLES = `
Examples:
  sessql --demo exec "SELECT userName, count(*) AS n FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' GROUP BY userName ORDER BY n DESC"
  sessql exec -f report.sql -o csv
  sessql exec -f checks.sql --continue-on-error -o csv -O results.csv
  sessql --demo                 # on a terminal: the interactive shell (see sessql shell --help)
  echo "SHOW PROVIDERS" | sessql exec
  sessql exec "DESCRIBE cloudconnexa.vpn.sessions"
  sessql exec "EXPLAIN SELECT * FROM cloudconnexa.vpn.sessions WHERE status IN ('ACTIVE','FAILED')"
  sessql sync --every 5m        # keep history (default: ~/.local/share/sessql/history.db); then:
  sessql exec --db ~/.local/share/sessql/history.db "SELECT count(*) FROM cloudconnexa.vpn.sessions"

Credentials (read from the environment):
  CLOUDCONNEXA_BASE_URL       https://<cloud-id>.api.openvpn.com
  CLOUDCONNEXA_CLIENT_ID      API client id (with its prefix)
  CLOUDCONNEXA_CLIENT_SECRET  API client secret

Template variables: {{ name }} or {{ .name }} in the SQL, from --var name=value or --vars-file.

Exit codes: 0 success, 1 runtime or API failure, 2 your own error (SQL, parameters, options,
credentials), 3 partial results (--partial and some fan-out calls failed).
`;

export function buildProgram(run: { exitCode: number }): Command {
  const program = addGlobalOptions(new Command('sessql'))
    .description('SQL over remote-access sessions: OpenVPN CloudConnexa and Azure Bastion')
    .version(version(), '-V, --version')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError()
    .exitOverride();

  addGlobalOptions(program.command('exec'))
    .description('run SQL statements (and meta-commands such as .output csv, .set name value) given as an argument, in files (-f) or on stdin')
    .argument('[sql...]', 'SQL text (several statements separated by ;)')
    .option('-f, --file <path...>', 'read SQL from files (several ;-separated statements, -- and /* */ comments)')
    .addOption(new Option('-o, --output <format>', 'output format').choices([...outputFormats]).default('table'))
    .option('-O, --outfile <path>', 'write results to a file instead of stdout')
    .option('--continue-on-error', 'run the statements after a failed one too (the exit code still reports the failure)')
    .option('--dry-run', 'print each statement with its template variables filled in, and its EXPLAIN plan, without calling any API')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .action(async (sqlParts: string[], _opts, cmd: Command) => {
      const opts = commandOptions<ExecOptions>(cmd);
      run.exitCode = await runExec(sqlParts.join(' '), opts);
    });

  addGlobalOptions(program.command('shell'))
    .description('interactive SQL shell (the default with no arguments on a terminal); reads a script when stdin is not a terminal')
    .addOption(new Option('-o, --output <format>', 'initial output format').choices([...outputFormats]).default('table'))
    .option('--continue-on-error', 'batch mode: run the statements after a failed one too')
    .addHelpText('after', SHELL_HELP)
    .exitOverride()
    .action(async (_opts, cmd: Command) => {
      run.exitCode = await runShell(commandOptions<ShellOptions>(cmd));
    });
  configureCheck(addGlobalOptions(program.command('check')), run);
  configureReport(addGlobalOptions(program.command('report')), run);
  configureSync(addGlobalOptions(program.command('sync')), run);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const run = { exitCode: 0 };
  const program = buildProgram(run);
  const debug = argv.includes('--debug');
  try {
    if (argv.length === 0 && !onTerminal()) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(shellByDefault(argv, program), { from: 'user' });
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
