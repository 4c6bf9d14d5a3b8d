// `sessql sync [--db TARGET] [TABLE…]`: copies the APIs into the history database, once or
// `--every` DURATION until SIGINT/SIGTERM (which let the write in progress finish, then exit 0).
// One stderr line per table per run; exit 1 when a table failed (the others still sync).
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../../config/size.js';
import { createEngine } from '../../engine/engine.js';
import { defaultHistoryPath, openHistoryStore } from '../../history/open.js';
import { resolveSyncTables, syncOnce } from '../../history/sync.js';
import { engineOptions } from '../lifecycle.js';
import { commandOptions, type CommandModule, type GlobalOptions } from '../options.js';

interface SyncOptions extends GlobalOptions {
  db?: string;
  every?: number;
  retain?: number;
  pgLoad?: 'copy' | 'insert';
}

/** A duration option for commander (positive: `--every 0s` would spin). */
function duration(what: string): (text: string) => number {
  return (text) => {
    let ms: number;
    try {
      ms = parseDuration(text, what);
    } catch (e) {
      throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
    }
    if (!(ms > 0)) throw new InvalidArgumentError(`${what}: the duration must be positive`);
    return ms;
  };
}

export const syncCommand: CommandModule = { name: 'sync', configure: (cmd, run) => void configureSync(cmd, run) };

export function configureSync(cmd: Command, run: { exitCode: number }): Command {
  return cmd
    .description(
      'copy sessions and the tables they join to into a history database that outlives the APIs: --db a SQLite file path or a postgres:// URL ' +
        `(default: ${defaultHistoryPath().replace(process.env.HOME ?? '\0', '~')})`,
    )
    .argument('[table...]', 'tables to sync (default: every syncable table)')
    .option('--every <duration>', 'sync again every DURATION (30s, 5m, 1h…) until SIGINT/SIGTERM', duration('--every'))
    .option('--retain <duration>', 'delete history rows last seen longer ago than DURATION (e.g. 400d)', duration('--retain'))
    .addOption(new Option('--pg-load <method>', 'how rows reach PostgreSQL').choices(['copy', 'insert']).hideHelp())
    .exitOverride()
    .action(async (tables: string[], _opts, c: Command) => {
      run.exitCode = await runSync(tables, commandOptions<SyncOptions>(c));
    });
}

export async function runSync(tables: string[], opts: SyncOptions): Promise<number> {
  // --db is where sync writes; the engine itself reads the APIs
  const { options, demo } = await engineOptions({ ...opts, db: undefined });
  const engine = createEngine({ ...options, cache: false });
  const names = resolveSyncTables(engine, tables);
  const store = await openHistoryStore(opts.db, { loadMethod: opts.pgLoad });
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130);
    process.stderr.write(`sync: ${sig}: finishing the write in progress, then stopping\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const log = (line: string) => process.stderr.write(`sync ${line}\n`);
  process.stderr.write(`sync: history database ${store.target}\n`);
  try {
    const selected = tables.length ? names : withCredentials(engine, names, log);
    for (;;) {
      const results = await syncOnce({ engine, store, tables: selected, retainMs: opts.retain, log, signal: controller.signal });
      const failed = results.filter((r) => r.status === 'failed');
      if (failed.length) log(`run: ${failed.length} of ${results.length} tables failed: ${failed.map((r) => r.table).join(', ')}`);
      if (controller.signal.aborted) return 0;
      if (opts.every === undefined) return failed.length ? 1 : 0;
      await sleep(opts.every, controller.signal);
      if (controller.signal.aborted) return 0;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    engine.close();
    await store.close();
    await demo?.close();
  }
}

/** With no table named, tables of a provider whose required settings are missing are skipped (said once). */
function withCredentials(engine: ReturnType<typeof createEngine>, names: string[], log: (l: string) => void): string[] {
  const missing = new Map<string, string[]>();
  for (const [name, { spec }] of engine.catalog.providers) {
    const cfg = engine.providerConfig(name);
    const absent = Object.entries(spec.config)
      .filter(([k, c]) => c.required && !cfg[k])
      .map(([k, c]) => c.env ?? k);
    if (absent.length) missing.set(name, absent);
  }
  for (const [p, vars] of missing) log(`${p}.*: skipped (not configured: ${vars.join(', ')})`);
  return names.filter((n) => !missing.has(n.split('.')[0]));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
