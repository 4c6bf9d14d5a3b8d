// The options every command shares (--demo, --config, --var, cache, …) and the helpers that read a
// command's merged options. The one home of shared flags: a new global option is added here once.
import { type Command, InvalidArgumentError, Option } from 'commander';

export interface GlobalOptions {
  demo?: boolean;
  debug?: boolean;
  /** --quiet: only errors on stderr (no warnings, notices, progress or timing). */
  quiet?: boolean;
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
  /** --timeout: the statement deadline (90s, 5m…). */
  timeout?: string;
  /** --lro-timeout: how long a long-running operation may take. */
  lroTimeout?: string;
  /** --max-response-size: the largest response body (64MB…). */
  maxResponseSize?: string;
  /** --db TARGET: read the history database instead of the APIs (sync: write it). */
  db?: string;
}

export function addGlobalOptions(cmd: Command): Command {
  return (
    cmd
      .option('--demo', 'run against the built-in simulators on 127.0.0.1 (no credentials needed)')
      .option('--debug', 'print stack traces with errors')
      .option('-q, --quiet', 'print only errors on stderr (no warnings, notices or progress)')
      .option('--provider-file <manifest...>', 'load extra provider manifests (YAML or JSON)')
      .option('--config <path>', 'config file (default: ./sessql.config.yaml, else $XDG_CONFIG_HOME/sessql/config.yaml)')
      .addOption(new Option('--no-pushdown', 'fetch with defaults only and filter everything in SQLite').hideHelp())
      .option('--no-cache', 'fetch again for every statement instead of reusing recent results')
      // no commander default: unset, a config file's cache.ttlSeconds applies
      .option('--cache-ttl <seconds>', 'reuse fetched rows for this long within a run or shell session (default 300)', parseSeconds)
      .option('--var <name=value>', 'a template variable for {{ name }} in the SQL (repeatable)', collect)
      .option('--vars-file <path>', 'template variables from a JSON or YAML file of name: value pairs')
      .option('--allow-writes', 'allow EXEC methods that change data (such as disconnecting sessions)')
      .option('--partial', 'keep the rows of fan-out calls that succeeded when others fail: a warning per failed call, exit code 3')
      .option('--timeout <duration>', 'deadline for fetching each statement, e.g. 90s or 5m (default: none; config limits.timeout)')
      .option('--lro-timeout <duration>', 'how long a long-running API operation may take (default 10m; config limits.lroTimeout)')
      .option('--max-response-size <size>', 'largest API response body read, e.g. 64MB (default 64MB; config limits.maxResponseSize)')
      .option('--db <target>', 'query the history database (a SQLite file or a postgres:// URL written by `sessql sync`) instead of the APIs')
  );
}

/** Repeatable option values, in order. */
export function collect(v: string, all: string[] = []): string[] {
  return [...all, v];
}

export function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError('expected a number of seconds');
  return Number(value);
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
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

/** What a command module gives main.ts: its name and how to configure it (global options are already added). */
export interface CommandModule {
  name: string;
  configure(cmd: Command, run: RunState): void;
}

/** The exit code a command's action sets for main.ts to return. */
export interface RunState {
  exitCode: number;
}
