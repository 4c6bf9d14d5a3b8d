// `sessql exec`: runs a script statement by statement and prints each result as it completes.
// A failed statement stops the script with its error and exit code.
import { SessqlError, toSessqlError } from '../errors.js';
import { createEngine, type EngineOptions } from '../engine/engine.js';
import { render } from '../output/render.js';
import type { Demo } from '../simulator/demo.js';
import type { ExecOptions, GlobalOptions } from './main.js';
import { readTextFile } from './main.js';
import { printError, printWarning, readStdin, useColor } from './io.js';

export async function gatherSql(inline: string, files: string[] | undefined): Promise<string> {
  const parts: string[] = [];
  if (inline.trim()) parts.push(inline);
  for (const f of files ?? []) parts.push(f === '-' ? await readStdin() : readTextFile(f));
  if (parts.length === 0) {
    if (process.stdin.isTTY) {
      throw new SessqlError('INVALID_OPTION', 'no SQL given', { hint: 'pass SQL as an argument, with -f file.sql, or on stdin' });
    }
    parts.push(await readStdin());
  }
  // each source ends its last statement
  return parts.join(';\n');
}

/** Engine options shared by every command: demo simulators, extra manifests, pushdown. */
export async function engineOptions(opts: GlobalOptions): Promise<{ options: EngineOptions; demo?: Demo }> {
  const options: EngineOptions = { manifests: opts.providerFile, pushdown: opts.pushdown };
  if (!opts.demo) return { options };
  const { startDemo } = await import('../simulator/demo.js');
  const demo = await startDemo();
  return { options: { ...options, config: demo.config }, demo };
}

export async function runExec(inline: string, opts: ExecOptions): Promise<number> {
  const sql = await gatherSql(inline, opts.file);
  const { options, demo } = await engineOptions(opts);
  const engine = createEngine(options);
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  const color = useColor(process.stdout);
  let first = true;
  try {
    for await (const result of engine.run(sql)) {
      for (const w of result.warnings) printWarning(w);
      if (!first && opts.output === 'table') process.stdout.write('\n');
      process.stdout.write(render(opts.output, result, { width, color }));
      first = false;
    }
    return 0;
  } catch (e) {
    const err = toSessqlError(e);
    printError(err, Boolean(opts.debug));
    return err.exitCode;
  } finally {
    engine.close();
    await demo?.close();
  }
}
