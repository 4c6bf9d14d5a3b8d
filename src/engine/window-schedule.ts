// The schedule of a time-windowed fetch split into sub-windows: probe the whole window with one
// page, then keep every concurrency slot busy with one cursor chain each, splitting the rest of a
// chain that falls behind when a slot frees. Invariant: the union of what the chains fetch is
// every row the whole window returns — a chain is cut only at the creation instant of the last
// row it delivered (pages come in that order, the manifest's `orderedBy`), and the rest of its
// sub-window is fetched by new chains; rows fetched twice are one row by key in the store.
import type { CallStats, FetchCall, FetchEvent, ProviderClient, RateLimitInfo } from '../fetch/types.js';
import type { ResourceSpec } from '../manifest/schema.js';
import { isoInstant, parseDateTime, type Scalar } from '../plan/values.js';

type SplitSpec = NonNullable<ResourceSpec['windowSplit']>;

export interface WindowScheduleDeps {
  client: ProviderClient;
  /** The whole window's call (the probe). */
  call: FetchCall;
  /** The planned sub-windows (wire values of the start and end parameters). */
  planned: Array<Record<string, Scalar | undefined>>;
  split: SplitSpec;
  onPage(items: unknown[]): void;
  add(stats: CallStats): void;
  now(): number;
  emit?: (e: FetchEvent) => void;
}

/** What a schedule did, for stats and tests. */
export interface ScheduleReport {
  split: boolean;
  /** Chains started after the probe (initial sub-windows plus run-time splits). */
  chains: number;
  /** Run-time splits of a chain that fell behind. */
  rebalances: number;
}

interface Chain {
  lo: number;
  /** Exclusive end (ms), or undefined for the window's own end (open or as asked). */
  hi: number | undefined;
  pages: number;
  /** Creation instant of the last row delivered; -Infinity before the first. */
  last: number;
  /** Creation instant of the first row delivered at or after `lo`: where its data starts. */
  first: number;
  /** Rows came out of order (or without the field): this chain is never cut. */
  unordered: boolean;
  stop: boolean;
}

const SECOND = 1000;
/** A run-time split must leave each new chain at least this many pages (estimated). */
const MIN_PAGES_PER_CHAIN = 3;

export async function runWindowSchedule(d: WindowScheduleDeps): Promise<ScheduleReport> {
  const { call, split } = d;
  const report: ScheduleReport = { split: false, chains: 0, rebalances: 0 };
  const slots = d.planned.length;
  const start = wireInstant(call.params[split.startParam]);
  // the window's own end; an open window ends at the clock for estimates and cuts
  const end = wireInstant(call.params[split.endParam]);
  const until = () => end ?? d.now();
  const orderedBy = split.orderedBy;
  if (!orderedBy || start === undefined) return plain(d, report);

  // The probe: page 1 of the whole window. Its rows come in creation order, rows created before
  // the window (updated in it) first; while it is still in those, it keeps going as a chain of
  // its own, and ends one page after it reaches the window's start (the pieces ask for the rows
  // created in the window). Should the order ever break, it runs to the window's end instead.
  const probe = newChain(start, undefined);
  let chains: Chains | undefined;
  const pace = new PaceEstimate(d, probe, until);
  const probeCall: FetchCall = {
    ...call,
    afterFirstPage: ({ more, rateLimit }) => {
      report.split = more && (!rateLimit || rateLimit.tokensPerSecond >= slots);
      if (!report.split) {
        if (more) pace.bound(rateLimit);
        return true; // one sequence: the whole window, page after page
      }
      const trusted = !probe.unordered;
      const covered = trusted && probe.last >= start;
      // what the probe delivered: every row created before its last row's instant
      const from = covered ? floorSecond(probe.last) : start;
      chains = new Chains(d, report, trusted, covered ? slots : slots - 1, until);
      chains.start(initialChains(d.planned, split, from, covered ? slots : slots - 1, until()));
      return !covered && trusted;
    },
    stopAfterPage: () => chains !== undefined && (chains.failed || (!probe.unordered && probe.last >= start)),
  };
  let probeError: unknown;
  try {
    d.add(
      await d.client.fetchPages(probeCall, (items) => {
        track(probe, items, orderedBy);
        d.onPage(items);
        pace.announce();
      }),
    );
  } catch (e) {
    probeError = e;
  }
  pace.announce(true);
  if (probeError !== undefined) {
    // the other chains stop after their page in flight and deliver nothing more
    if (chains) chains.failed = true;
    throw probeError;
  }
  chains?.grow();
  if (chains) await chains.done;
  return report;
}

/** The cursor chains after the probe: at most `capacity` at once, cut and re-split to fill free slots. */
class Chains {
  failed = false;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (e: unknown) => void;
  private running = 0;
  private readonly active = new Set<Chain>();

  constructor(
    private readonly d: WindowScheduleDeps,
    private readonly report: ScheduleReport,
    /** The order held so far: chains ask for created rows only and may be cut. */
    private readonly trusted: boolean,
    private capacity: number,
    /** Where a chain without its own end ends (the window's end, or now when open). */
    private readonly until: () => number,
  ) {
    this.done = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.done.catch(() => {}); // observed by the caller; no unhandled rejection meanwhile
  }

  start(initial: Chain[]): void {
    for (const c of initial) this.launch(c);
    if (this.running === 0) this.resolve();
  }

  /** The probe ended: its slot is free. */
  grow(): void {
    this.capacity = this.d.planned.length;
    if (!this.failed && this.running > 0) this.rebalance();
  }

  private launch(c: Chain): void {
    const { d } = this;
    const orderedBy = d.split.orderedBy!;
    this.running++;
    if (this.trusted) this.active.add(c);
    else c.unordered = true;
    this.report.chains++;
    const call: FetchCall = { ...d.call, params: this.params(c), stopAfterPage: () => this.failed || c.stop };
    d.client
      .fetchPages(call, (items) => {
        if (this.failed) return;
        track(c, items, orderedBy);
        d.onPage(items);
        if (this.running < this.capacity) this.rebalance();
      })
      .then(
        (s) => {
          d.add(s);
          this.active.delete(c);
          this.running--;
          if (this.failed) return;
          this.rebalance();
          if (this.running === 0) this.resolve();
        },
        (e) => {
          this.active.delete(c);
          this.running--;
          if (this.failed) return;
          this.failed = true;
          this.reject(e);
        },
      );
  }

  /** While slots are free, cut the chain with the most estimated pages left and start its rest as new chains. */
  private rebalance(): void {
    const free = this.capacity - this.running;
    if (free <= 0) return;
    const now = this.until();
    let best: { c: Chain; left: number } | undefined;
    for (const c of this.active) {
      const left = pagesLeft(c, now);
      if (left !== undefined && (!best || left > best.left)) best = { c, left };
    }
    if (!best) return;
    const parts = Math.min(free + 1, Math.floor(best.left / MIN_PAGES_PER_CHAIN));
    if (parts < 2) return;
    const c = best.c;
    const cuts = boundaries(floorSecond(c.last), c.hi ?? now, parts);
    if (cuts.length < 2) return;
    // this chain ends after its page in flight; every row it has not delivered was created at or
    // after its last row's instant, so the new chains over [that instant, its end) cover them
    c.stop = true;
    this.active.delete(c);
    this.report.rebalances++;
    cuts.forEach((lo, i) => this.launch(newChain(lo, i === cuts.length - 1 ? c.hi : cuts[i + 1])));
  }

  private params(c: Chain): FetchCall['params'] {
    const { call, split } = this.d;
    const params = { ...call.params };
    params[split.startParam] = isoInstant(c.lo);
    if (c.hi !== undefined) params[split.endParam] = isoInstant(c.hi);
    // rows created before the window are the probe's; each chain asks only for rows created in it
    if (this.trusted && split.createdOnly) params[split.createdOnly] = true;
    return params;
  }
}

/** Without a creation order to follow: the probe, then every planned sub-window at once. */
async function plain(d: WindowScheduleDeps, report: ScheduleReport): Promise<ScheduleReport> {
  const slots = d.planned.length;
  // no order to trust, but if the rows happen to come in creation order their pace is an estimate
  const field = d.split.orderedBy ?? d.split.createdField;
  const start = wireInstant(d.call.params[d.split.startParam]);
  const end = wireInstant(d.call.params[d.split.endParam]);
  const chain = newChain(start ?? -Infinity, end);
  const pace = new PaceEstimate(d, field && start !== undefined ? chain : undefined, () => end ?? d.now());
  const probe: FetchCall = {
    ...d.call,
    afterFirstPage: ({ more, rateLimit }) => {
      report.split = more && (!rateLimit || rateLimit.tokensPerSecond >= slots);
      if (!report.split && more) pace.bound(rateLimit);
      return !report.split;
    },
  };
  try {
    d.add(
      await d.client.fetchPages(probe, (items) => {
        if (field) track(chain, items, field);
        d.onPage(items);
        pace.announce();
      }),
    );
  } finally {
    pace.announce(true);
  }
  if (!report.split) return report;
  report.chains = d.planned.length;
  const results = await Promise.all(
    d.planned.map((w) => {
      const params = { ...d.call.params };
      for (const [k, v] of Object.entries(w)) {
        if (v === undefined) delete params[k];
        else params[k] = v;
      }
      return d.client.fetchPages({ ...d.call, params }, d.onPage);
    }),
  );
  for (const s of results) d.add(s);
  return report;
}

/**
 * The planned sub-windows minus what the probe covered (everything created before `from`), then
 * the widest split in two until there are as many as `slots`: no empty sub-window holds a slot.
 */
export function initialChains(
  planned: Array<Record<string, Scalar | undefined>>,
  split: SplitSpec,
  from: number,
  slots: number,
  until: number,
): Chain[] {
  const chains: Chain[] = [];
  planned.forEach((w, i) => {
    const lo = wireInstant(w[split.startParam]);
    const last = i === planned.length - 1;
    const hi = last ? undefined : wireInstant(w[split.endParam]);
    if (lo === undefined || (!last && hi === undefined)) return;
    if (hi !== undefined && hi <= from) return;
    chains.push(newChain(Math.max(lo, from), hi));
  });
  if (chains.length === 0) chains.push(newChain(from, undefined));
  const want = Math.max(1, slots);
  while (chains.length < want) {
    let widest = 0;
    const span = (c: Chain) => (c.hi ?? Math.max(until, c.lo)) - c.lo;
    chains.forEach((c, i) => {
      if (span(c) > span(chains[widest])) widest = i;
    });
    const c = chains[widest];
    if (span(c) < 2 * SECOND) break;
    const mid = c.lo + Math.floor(span(c) / 2 / SECOND) * SECOND;
    chains.splice(widest, 1, newChain(c.lo, mid), newChain(mid, c.hi));
  }
  return chains;
}

/** `parts` start instants on whole seconds from `from` (inclusive) towards `to`. */
function boundaries(from: number, to: number, parts: number): number[] {
  const step = Math.floor((to - from) / parts / SECOND) * SECOND;
  if (step < SECOND) return [from];
  return Array.from({ length: parts }, (_, i) => from + i * step);
}

/**
 * The estimate of a window paged in one sequence under a slow token bucket: the pages its chain
 * still has, from its pace so far, reported after every page (and 0 once it ends).
 */
class PaceEstimate {
  private limits?: RateLimitInfo;

  constructor(
    private readonly d: WindowScheduleDeps,
    private readonly chain: Chain | undefined,
    private readonly until: () => number,
  ) {}

  /** The window is one sequence: with a known bucket, estimates follow. */
  bound(limits: RateLimitInfo | undefined): void {
    this.limits = limits;
    this.announce();
  }

  announce(done = false): void {
    const { d, chain, limits } = this;
    if (!limits || !chain || !d.emit) return;
    const left = done ? 0 : pagesLeft(chain, this.until());
    if (left === undefined) return;
    const tokens = d.client.quota()?.tokens ?? 0;
    d.emit({ kind: 'estimate', resourceId: d.call.resourceId, source: `${d.call.resourceId} window`, pagesLeft: left, limits, tokens });
  }
}

/** Pages a chain still has, estimated from its pace so far (rows evenly spread in time). */
function pagesLeft(c: Chain, now: number): number | undefined {
  // the pace is measured from where the chain's data starts (the window may begin with none)
  const from = Math.max(c.lo, Math.min(c.first, c.last));
  if (c.stop || c.unordered || c.pages === 0 || !(c.last > from)) return undefined;
  const end = c.hi ?? now;
  if (end <= c.last) return 0;
  return (c.pages * (end - c.last)) / (c.last - from);
}

function newChain(lo: number, hi: number | undefined): Chain {
  return { lo, hi, pages: 0, last: -Infinity, first: Infinity, unordered: false, stop: false };
}

/** Records a page's progress: the creation instant of its last row, checking the order holds. */
function track(c: Chain, items: unknown[], field: string): void {
  c.pages++;
  for (const item of items) {
    const v = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[field] : undefined;
    const t = typeof v === 'string' ? parseDateTime(v) : undefined;
    if (t === undefined || t < c.last) {
      c.unordered = true;
      return;
    }
    c.last = t;
    if (t >= c.lo && c.first === Infinity) c.first = t;
  }
}

function wireInstant(v: Scalar | undefined): number | undefined {
  return typeof v === 'string' ? parseDateTime(v) : undefined;
}

function floorSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}
