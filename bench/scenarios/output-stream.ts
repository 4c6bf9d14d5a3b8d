// Scenario 7, streaming output: `SELECT *` of 1,000,000 session rows rendered as csv, json and
// ndjson through the CLI's own statement runner (Session → Engine.stream → renderTo) to /dev/null,
// each format in its own child process. Reports the output time and the peak RSS while writing
// (sampled at every written chunk) against the loaded database. Invariant: the load is the
// local-engine scenario's (in-memory pages, no network), and every row is written exactly once.
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createEngine } from '../../src/engine/engine.js';
import { Session, initialState, type SessionIO } from '../../src/cli/runner/session.js';
import { row, type BenchContext } from '../common.js';
import { PageSource } from '../pages.js';
import type { BenchRow } from '../report.js';

export const OUTPUT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type StreamFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputResult {
  format: StreamFormat;
  rows: number;
  loadMs: number;
  outputMs: number;
  outputBytes: number;
  dbBytes: number;
  /** RSS once the rows are loaded (before output), bytes. */
  rssAfterLoadBytes: number;
  /** Highest RSS sampled at each chunk written, bytes. */
  peakOutputRssBytes: number;
  /** The process's lifetime peak (load included), bytes. */
  maxRssBytes: number;
  newlines: number;
}

const TABLE = 'cloudconnexa.vpn.sessions';

export async function runOutputFormat(format: StreamFormat, rows: number): Promise<OutputResult> {
  const src = new PageSource(rows);
  const engine = createEngine({
    env: {},
    windowSplit: 1,
    cache: { ttlSeconds: 3600 },
    fetch: { http: src.httpPort() },
    config: { cloudconnexa: { baseUrl: 'http://127.0.0.1:9', clientId: 'bench', clientSecret: 'bench' } },
  });
  const fd = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    const loaded = await engine.query(`SELECT count(*) FROM ${TABLE}`);
    const loadMs = performance.now() - t0;
    const dbBytes = (await engine.query('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()')).rows[0][0] as number;
    global.gc?.();
    const rssAfterLoadBytes = process.memoryUsage.rss();
    let peak = rssAfterLoadBytes;
    let outputBytes = 0;
    let newlines = 0;
    const io: SessionIO = {
      out: (text) => {
        outputBytes += Buffer.byteLength(text);
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines++;
        writeSync(fd, text);
        peak = Math.max(peak, process.memoryUsage.rss());
      },
      err: () => undefined,
      error: (e) => {
        throw e;
      },
      warn: () => undefined,
      color: false,
      debug: false,
    };
    const session = new Session(engine, initialState({ output: format }), io);
    const o0 = performance.now();
    await session.runSql(`SELECT * FROM ${TABLE}`);
    const outputMs = performance.now() - o0;
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      format,
      rows: loaded.rows[0][0] as number,
      loadMs,
      outputMs,
      outputBytes,
      dbBytes,
      rssAfterLoadBytes,
      peakOutputRssBytes: peak,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      newlines,
    };
  } finally {
    closeSync(fd);
    engine.close();
  }
}

function inChild(format: StreamFormat, rows: number): Promise<OutputResult> {
  const entry = new URL('../run.js', import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', entry.pathname, '--child', `output-stream:${format}`, '--rows', String(rows)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`output-stream:${format} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as OutputResult);
      } catch {
        reject(new Error(`output-stream:${format} printed no result`));
      }
    });
  });
}

const MB = 2 ** 20;

export async function outputStream(ctx: BenchContext): Promise<BenchRow[]> {
  const rows = ctx.quick ? 5_000 : 1_000_000;
  const out: BenchRow[] = [];
  for (const format of OUTPUT_FORMATS) {
    ctx.log(`output-stream: ${format} (${rows.toLocaleString('en-US')} rows${ctx.childProcesses ? ', child process' : ''})`);
    const r = ctx.childProcesses ? await inChild(format, rows) : await runOutputFormat(format, rows);
    const toDb = r.peakOutputRssBytes / r.dbBytes;
    // csv: header + one line per row; ndjson: one line per row; json: [ ] and 2 + columns lines per row
    const complete = format === 'json' ? r.newlines > r.rows : format === 'csv' ? r.newlines === r.rows + 1 : r.newlines === r.rows;
    out.push(
      row({
        scenario: 'output-stream',
        variant: `SELECT * → ${format} (CLI statement runner → /dev/null)`,
        rows: r.rows,
        wallMs: r.outputMs,
        peakRssMb: ctx.childProcesses ? r.peakOutputRssBytes / MB : null,
        rssSource: ctx.childProcesses ? 'sampled' : 'n/a',
        target: `peak RSS while writing ≤1.5× DB (${toDb.toFixed(2)}× of ${Math.round(r.dbBytes / MB)} MB), every row written`,
        met: ctx.childProcesses ? toDb <= 1.5 && complete : complete ? null : false,
        details: {
          loadMs: r.loadMs,
          outputMs: r.outputMs,
          outputMb: r.outputBytes / MB,
          rowsPerSec: (r.rows / r.outputMs) * 1000,
          dbMb: r.dbBytes / MB,
          rssAfterLoadMb: r.rssAfterLoadBytes / MB,
          peakOutputRssMb: r.peakOutputRssBytes / MB,
          peakOutputRssToDb: toDb,
          growthWhileWritingMb: (r.peakOutputRssBytes - r.rssAfterLoadBytes) / MB,
          maxRssLifetimeMb: r.maxRssBytes / MB,
          complete,
        },
      }),
    );
  }
  return out;
}
