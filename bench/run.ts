// `npm run bench`: runs the performance scenarios against the built-in simulators, prints one
// table (stdout) and writes the same rows to bench-results.json. Progress goes to stderr.
// Invariant: a failing scenario becomes a failed row; it never hides the other scenarios' figures.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext, Scenario } from './common.js';
import { formatTable, toJson, type BenchReport, type BenchRow } from './report.js';
import { fanOut } from './scenarios/fan-out.js';
import { fewestRequests } from './scenarios/fewest-requests.js';
import { historyScan } from './scenarios/history-scan.js';
import { historySync } from './scenarios/history-sync.js';
import { LOCAL_VARIANTS, localEngine, runLocalVariant, type LocalVariant } from './scenarios/local-engine.js';
import { quota } from './scenarios/quota.js';
import { OUTPUT_FORMATS, outputStream, runOutputFormat, type StreamFormat } from './scenarios/output-stream.js';
import { startup } from './scenarios/startup.js';
import { row } from './common.js';

export const SCENARIOS: Record<string, Scenario> = {
  'history-scan': historyScan,
  quota,
  'fan-out': fanOut,
  'fewest-requests': fewestRequests,
  'local-engine': localEngine,
  'output-stream': outputStream,
  startup,
  'history-sync': historySync,
};

export interface RunOptions {
  quick?: boolean;
  /** Scenario names (default: all, in SCENARIOS order). */
  scenarios?: string[];
  simMode?: BenchContext['simMode'];
  childProcesses?: boolean;
  log?: (message: string) => void;
}

export async function runBench(opts: RunOptions = {}): Promise<BenchReport> {
  const names = opts.scenarios?.length ? opts.scenarios : Object.keys(SCENARIOS);
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario '${n}' (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const compiled = import.meta.url.endsWith('.js');
  const ctx: BenchContext = {
    quick: opts.quick ?? false,
    simMode: opts.simMode ?? (compiled ? 'process' : 'inline'),
    childProcesses: opts.childProcesses ?? compiled,
    log: opts.log ?? ((m) => process.stderr.write(`bench: ${m}\n`)),
  };
  const started = Date.now();
  const rows: BenchRow[] = [];
  for (const name of names) {
    try {
      rows.push(...(await SCENARIOS[name](ctx)));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ctx.log(`${name} failed: ${message}`);
      rows.push(row({ scenario: name, variant: 'ERROR', target: message.slice(0, 80), met: false, details: { error: message } }));
    }
  }
  return {
    startedAt: new Date(started).toISOString(),
    quick: ctx.quick,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    durationMs: Date.now() - started,
    rows,
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      json: { type: 'string', default: 'bench-results.json' },
      child: { type: 'string' },
      rows: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      `usage: node dist/bench/run.js [--scenario <name>]... [--quick] [--json <file>]\nscenarios: ${Object.keys(SCENARIOS).join(', ')}\n`,
    );
    return 0;
  }
  if (values.child) {
    // internal: one local-engine load in this (fresh) process; prints its result as one JSON line
    const [kind, variant] = values.child.split(':');
    if (kind === 'output-stream') {
      if (!OUTPUT_FORMATS.includes(variant as StreamFormat)) throw new Error(`unknown child ${values.child}`);
      process.stdout.write(`${JSON.stringify(await runOutputFormat(variant as StreamFormat, Number(values.rows ?? 1_000_000)))}\n`);
      return 0;
    }
    if (!LOCAL_VARIANTS.includes(variant as LocalVariant)) throw new Error(`unknown child ${values.child}`);
    const result = await runLocalVariant(variant as LocalVariant, Number(values.rows ?? 1_000_000));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const scenarios = (values.scenario ?? []).flatMap((s) => s.split(',')).filter(Boolean);
  const report = await runBench({ quick: values.quick, scenarios });
  process.stdout.write(`${formatTable(report.rows)}\n`);
  if (values.json) {
    writeFileSync(values.json, toJson(report));
    process.stderr.write(`bench: wrote ${values.json} (${Math.round(report.durationMs / 1000)} s)\n`);
  }
  const judged = report.rows.filter((r) => r.met !== null);
  process.stderr.write(`bench: targets met ${judged.filter((r) => r.met).length}/${judged.length}\n`);
  // a missed target is a finding, not a harness failure; only a scenario that crashed fails the run
  return report.rows.some((r) => r.variant === 'ERROR') ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
