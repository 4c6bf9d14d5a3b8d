// The engine lifecycle every command shares: options from the command line and the config file,
// the demo simulators for --demo, the progress line. Invariant: the engine and the simulators are
// closed however the command ends.
import { withConfigFile } from '../config/index.js';
import { createEngine, type Engine, type EngineOptions } from '../engine/engine.js';
import type { Demo } from '../simulator/demo.js';
import { isQuiet } from './io.js';
import type { GlobalOptions } from './options.js';
import { createProgress, type Progress } from './progress.js';
import { createWaitNotice } from './wait-notice.js';
import { parseDuration, parseSize } from '../config/size.js';

/** Engine options shared by every command: demo simulators, extra manifests, pushdown, cache. */
export async function engineOptions(opts: GlobalOptions): Promise<{ options: EngineOptions; demo?: Demo }> {
  const options: EngineOptions = withConfigFile(
    {
      manifests: opts.providerFile,
      pushdown: opts.pushdown,
      allowWrites: opts.allowWrites,
      partial: opts.partial,
      // undefined: the engine's default (or a config file's setting) applies
      cache: opts.cache === false ? false : opts.cacheTtl !== undefined ? { ttlSeconds: opts.cacheTtl } : undefined,
      ...limitOptions(opts),
      // every command prints long waits on stderr (check and report run in CI, off-terminal)
      onEvent: isQuiet() ? undefined : createWaitNotice(process.stderr),
    },
    opts,
  );
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

/** --timeout, --lro-timeout and --max-response-size as engine options (over the config file's limits). */
function limitOptions(opts: GlobalOptions): Pick<EngineOptions, 'statementTimeoutMs' | 'fetch'> {
  const fetch: NonNullable<EngineOptions['fetch']> = {};
  if (opts.lroTimeout !== undefined) fetch.lroTimeoutMs = parseDuration(opts.lroTimeout, '--lro-timeout');
  if (opts.maxResponseSize !== undefined) fetch.maxResponseBytes = parseSize(opts.maxResponseSize, '--max-response-size');
  return {
    ...(opts.timeout !== undefined ? { statementTimeoutMs: parseDuration(opts.timeout, '--timeout') } : {}),
    ...(Object.keys(fetch).length ? { fetch } : {}),
  };
}

/**
 * Runs `fn` with an engine (and the demo simulators; the progress line unless `progress: false`
 * or --quiet), closing them after.
 */
export async function withEngine<T>(
  opts: GlobalOptions,
  fn: (engine: Engine, progress?: Progress) => Promise<T>,
  o: { progress?: boolean } = {},
): Promise<T> {
  const { options, demo } = await engineOptions(opts);
  try {
    const progress = o.progress === false || isQuiet() ? undefined : createProgress(process.stderr);
    const engine = createEngine({ ...options, onEvent: (e) => (progress?.onEvent(e), options.onEvent?.(e)) });
    try {
      return await fn(engine, progress);
    } finally {
      engine.close();
    }
  } finally {
    await demo?.close();
  }
}
