// Scenario 1, latency-bound history scan: a 7-day window of CloudConnexa sessions read by
// sequential cursor paging (windowSplit 1, what the Terraform data source does) and by concurrent
// sub-windows de-duplicated by id. Invariant: every variant must return the same (count, sum).
import http from 'node:http';
import { Catalog } from '../../src/manifest/catalog.js';
import { latencyBound } from '../lower-bound.js';
import { ccEngine, DAY_MS, isoSeconds, measure, row, type BenchContext } from '../common.js';
import { startSim, type SimHandle } from '../sim-host.js';
import type { BenchRow } from '../report.js';

const PAGE_SIZE = 100;

interface Variant {
  name: string;
  windowSplit?: number;
  concurrency?: number;
  /** Counts towards the scenario's target (the default configuration). */
  judged: boolean;
}

/** The CloudConnexa manifest's concurrency: what the default run uses for requests in flight and sub-windows. */
const DEFAULT_CONCURRENCY = Catalog.load().providers.get('cloudconnexa')!.spec.concurrency;

const VARIANTS: Variant[] = [
  { name: 'sequential (windowSplit 1)', windowSplit: 1, judged: false },
  { name: `default (${DEFAULT_CONCURRENCY} slots)`, judged: true },
  { name: '8 slots (8 sub-windows, 8 in flight)', windowSplit: 8, concurrency: 8, judged: false },
];

/**
 * The window asked for and where the data is: the whole window, or only its last part (the
 * schedule must not leave slots idle on the empty part).
 */
interface Case {
  label: string;
  sessions: number;
  /** Days of data, ending now. */
  dataDays: number;
  /** Days the statement asks for, ending now. */
  askDays: number;
}

const CASES: Case[] = [
  { label: '', sessions: 100_000, dataDays: 7, askDays: 7 },
  { label: 'partial data (3 of 7 days)', sessions: 40_000, dataDays: 3, askDays: 7 },
];

interface Measured {
  v: Variant;
  count: number;
  sum: number;
  wallMs: number;
  requests: number;
  rss: number;
  stats: object;
  clientCpuMs: number;
  serverCpuMs: number | null;
  /** Pages of the sub-window with the most: its cursor chain is sequential. */
  longestChain: number;
}

export async function historyScan(ctx: BenchContext): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const c of CASES) out.push(...(await runCase(ctx, c)));
  return out;
}

async function runCase(ctx: BenchContext, c: Case): Promise<BenchRow[]> {
  const sessions = ctx.quick ? Math.round(c.sessions / 50) : c.sessions;
  const latencyMs = ctx.quick ? 5 : 20;
  const sim = await startSim({ kind: 'cloudconnexa', options: { sessions, historyDays: c.dataDays, latencyMs } }, ctx.simMode);
  const sql = `SELECT count(*), sum(bytesIn) FROM cloudconnexa.vpn.sessions WHERE startDate = '${isoSeconds(Date.now() - c.askDays * DAY_MS)}'`;
  const results: Measured[] = [];
  let floor: Floor | undefined;
  try {
    for (const v of VARIANTS) {
      await sim.reset();
      const engine = ccEngine(sim, {
        windowSplit: v.windowSplit,
        fetch: v.concurrency ? { concurrency: v.concurrency } : undefined,
      });
      try {
        ctx.log(`history-scan: ${c.label || 'whole window'}: ${v.name}`);
        const m = await measure(() => engine.query(sql));
        const [count, sum] = m.value.rows[0] as [number, number];
        const summary = await sim.summary();
        results.push({
          v,
          count,
          sum,
          wallMs: m.wallMs,
          requests: summary.apiRequests,
          rss: m.peakRssMb,
          stats: m.value.stats,
          clientCpuMs: m.cpuMs,
          serverCpuMs: summary.serverCpuMs,
          longestChain: Math.max(...Object.values(summary.windows)),
        });
      } finally {
        engine.close();
      }
    }
    await sim.reset();
    ctx.log(`history-scan: ${c.label || 'whole window'}: bare client floor`);
    floor = await bareFloor(sim, c.dataDays, DEFAULT_CONCURRENCY);
    floor.serverCpuMs = (await sim.summary()).serverCpuMs;
  } finally {
    await sim.close();
  }
  const seq = results[0];
  // The pages a whole-window scan needs (sequential paging fetches each row once).
  const pages = Math.max(1, Math.ceil(seq.count / PAGE_SIZE));
  const prefix = c.label ? `${c.label}: ` : '';
  const floorBound = floor ? latencyMs + latencyBound(Math.max(0, floor.requests - 1), DEFAULT_CONCURRENCY, latencyMs) : null;
  const floorRow =
    floor &&
    row({
      scenario: 'history-scan',
      variant: `${prefix}bare client floor (node:http, ${DEFAULT_CONCURRENCY} chains, JSON.parse only)`,
      rows: floor.rows,
      requests: floor.requests,
      wallMs: floor.wallMs,
      lowerBound: floorBound,
      ratio: floor.wallMs / floorBound!,
      peakRssMb: null,
      target: "informational: this machine's floor for the pages (no SQLite, no checks)",
      met: null,
      details: { ...floor, clientCpuMsPerPage: floor.cpuMs / floor.requests },
    });
  const rows = results.map((r, i) => {
    const sequential = i === 0;
    const concurrency = r.v.concurrency ?? DEFAULT_CONCURRENCY;
    // The pages this schedule really fetched: the probe alone, then the rest `concurrency` at a time.
    const bound = sequential ? r.requests * latencyMs : latencyMs + latencyBound(Math.max(0, r.requests - 1), concurrency, latencyMs);
    const ratio = r.wallMs / bound;
    const speedup = seq.wallMs / r.wallMs;
    const identical = r.count === seq.count && r.sum === seq.sum;
    return row({
      scenario: 'history-scan',
      variant: `${prefix}${r.v.name}`,
      rows: r.count,
      requests: r.requests,
      wallMs: r.wallMs,
      lowerBound: bound,
      ratio,
      peakRssMb: r.rss,
      rssSource: 'sampled',
      target: sequential
        ? 'baseline (1 request at a time)'
        : `≥5× sequential, ≤1.3× bound, same rows (${speedup.toFixed(1)}×${identical ? ', same' : ', DIFFERENT'})`,
      met: sequential ? null : r.v.judged ? speedup >= 5 && ratio <= 1.3 && identical : null,
      details: {
        sessions,
        dataDays: c.dataDays,
        askDays: c.askDays,
        latencyMs,
        concurrency,
        windowSplit: r.v.windowSplit ?? 'default',
        pagesNeeded: pages,
        pagesFetched: r.requests,
        /** ceil(pages needed / concurrency) × latency: the bound of a schedule that fetched no page twice. */
        wholeWindowBoundMs: sequential ? pages * latencyMs : latencyBound(pages, concurrency, latencyMs),
        speedupVsSequential: speedup,
        identical,
        sumBytesIn: r.sum,
        /** Pages of the longest cursor chain (sub-window): sequential, so wall ≥ this × latency. */
        longestChainPages: r.longestChain,
        longestChainBoundMs: r.longestChain * latencyMs,
        clientCpuMs: r.clientCpuMs,
        clientCpuMsPerPage: r.clientCpuMs / r.requests,
        serverCpuMs: r.serverCpuMs,
        engineStats: r.stats,
        sql,
        /** The bare client's wall time for the same data (this machine's floor), and this run's ratio to it. */
        floorMs: floor?.wallMs,
        ratioToFloor: floor ? r.wallMs / floor.wallMs : undefined,
      },
    });
  });
  return floorRow ? [...rows, floorRow] : rows;
}

interface Floor {
  wallMs: number;
  cpuMs: number;
  requests: number;
  rows: number;
  serverCpuMs: number | null;
}

/**
 * This machine's floor for a history scan: a bare client (node:http, keep-alive) walking
 * `chains` equal sub-windows of where the data is (created-only, so no page is fetched twice) at
 * once, parsing each page and nothing more — no SQLite, no validation, no schedule. On 2 cores
 * the simulator's CPU and the client's compete; this says what the pages cost here.
 */
async function bareFloor(sim: SimHandle, dataDays: number, chains: number): Promise<Floor> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: chains });
  const get = (path: string) =>
    new Promise<{ sessions: unknown[]; nextCursor?: string }>((resolve, reject) => {
      http
        .get(`${sim.url}${path}`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (b: Buffer) => parts.push(b));
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode} for ${path}`));
            else resolve(JSON.parse(Buffer.concat(parts).toString()) as { sessions: unknown[]; nextCursor?: string });
          });
        })
        .on('error', reject);
    });
  const token = await new Promise<string>((resolve, reject) => {
    const q = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret });
    http
      .request(`${sim.url}/api/v1/oauth/token?${q}`, { method: 'POST', agent }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => resolve((JSON.parse(Buffer.concat(parts).toString()) as { access_token: string }).access_token));
      })
      .on('error', reject)
      .end();
  });
  const to = Date.now();
  const from = to - dataDays * DAY_MS;
  const step = Math.floor((to - from) / chains / 1000) * 1000;
  let requests = 0;
  let rows = 0;
  const chain = async (i: number) => {
    const lo = from + i * step;
    let query = `/api/v1/sessions?size=${PAGE_SIZE}&returnOnlyNew=true&startDate=${isoSeconds(lo)}`;
    if (i < chains - 1) query += `&endDate=${isoSeconds(lo + step)}`;
    for (let cursor: string | undefined = ''; cursor !== undefined;) {
      const body = await get(cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query);
      requests++;
      rows += body.sessions.length;
      cursor = body.nextCursor;
    }
  };
  try {
    const m = await measure(() => Promise.all(Array.from({ length: chains }, (_, i) => chain(i))));
    return { wallMs: m.wallMs, cpuMs: m.cpuMs, requests, rows, serverCpuMs: null };
  } finally {
    agent.destroy();
  }
}
