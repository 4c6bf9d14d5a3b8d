// Columnar (typed-array) store of generated sessions plus the window queries the sessions endpoint
// needs. Invariant: sessions are indexed in stable order (created time ascending, ties by index, and
// ids are built from the index), updated ≥ created, updated ≤ generation clock, so a
// "created or updated in [start,end)" query is an index-ascending list (api-facts A.3).
import type { Entities } from './entities.js';
import { PUBLIC_RANGES } from './ip.js';
import { createRng, type Rng } from './prng.js';

export const STATUS_NAMES = ['ACTIVE', 'COMPLETED', 'FAILED'] as const;
export const ACTIVE = 0;
export const COMPLETED = 1;
export const FAILED = 2;

export const KIND_USER = 0;
export const KIND_NETWORK_CONNECTOR = 1;
export const KIND_HOST_CONNECTOR = 2;

/** Number of low bits of an update key that hold the session index (caps the store at 2^21 sessions). */
const INDEX_BITS = 21;
const INDEX_SPAN = 2 ** INDEX_BITS;
export const MAX_SESSIONS = INDEX_SPAN;
export const NO_REASON = 255;

export interface SessionColumns {
  readonly n: number;
  /** Creation (= sessionStartTime) in ms, ascending. */
  readonly created: Float64Array;
  /** Last update in ms: sessionEndTime when ended, otherwise a recent heartbeat ≤ generation clock. */
  readonly updated: Float64Array;
  readonly status: Uint8Array;
  readonly kind: Uint8Array;
  /** Device index (user sessions) or connector index (connector sessions). */
  readonly ref: Uint32Array;
  readonly region: Uint8Array;
  readonly protocol: Uint8Array;
  /** Index into COMPLETED_REASONS (COMPLETED) or FAILED_REASONS (FAILED); NO_REASON for ACTIVE. */
  readonly reason: Uint8Array;
  readonly publicIp: Uint32Array;
  readonly bytesIn: Float64Array;
  readonly bytesOut: Float64Array;
}

export interface SessionFilter {
  start: number;
  end: number;
  /** Status code (ACTIVE/COMPLETED/FAILED) or -1 for any. */
  status: number;
  onlyNew: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function lowerBound(arr: Float64Array | Uint32Array, value: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in `arr` whose value is > value. */
export function upperBound(arr: Uint32Array, value: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Choice {
  kind: number;
  ref: number;
  region: number;
}

function pickOwner(rng: Rng, ent: Entities, regionIndex: Map<string, number>): Choice {
  const pool = ent.sessionDevices;
  const connectors = ent.networkConnectors.length + ent.hostConnectors.length;
  if (connectors > 0 && (pool.length === 0 || rng.next() < 0.04)) {
    const c = rng.int(connectors);
    if (c < ent.networkConnectors.length) {
      return { kind: KIND_NETWORK_CONNECTOR, ref: c, region: regionIndex.get(ent.networkConnectors[c].vpnRegionId) ?? 0 };
    }
    const h = c - ent.networkConnectors.length;
    return { kind: KIND_HOST_CONNECTOR, ref: h, region: regionIndex.get(ent.hostConnectors[h].vpnRegionId) ?? 0 };
  }
  // Skewed towards the first devices: a few heavy users, a long tail.
  const d = pool[Math.floor(rng.next() ** 1.6 * pool.length)];
  return { kind: KIND_USER, ref: d, region: rng.pick(ent.deviceRegions[d]) };
}

/** Duration in ms of an ended session, clamped so that it ends no later than `now0`. */
function endedDuration(rng: Rng, status: number, created: number, now0: number): number {
  const want = status === FAILED ? 500 + rng.int(30_000) : Math.min(12 * HOUR, Math.round(-Math.log(1 - rng.next()) * 50 * MINUTE) + 20_000);
  const room = now0 - created;
  return want <= room ? want : Math.floor(room * rng.next());
}

function traffic(rng: Rng, status: number, durationMs: number): [number, number] {
  if (status === FAILED) return [rng.int(6000), rng.int(4000)];
  const rate = 500 * Math.exp(rng.next() * 5); // bytes per second, 0.5 KB/s … 75 KB/s
  const bytesIn = Math.round((durationMs / 1000) * rate) + 2048;
  const bytesOut = Math.round(bytesIn * (0.1 + rng.next() * 0.5));
  return [bytesIn, bytesOut];
}

export interface GenerateInput {
  n: number;
  seed: number;
  now0: number;
  historyMs: number;
  entities: Entities;
}

/** What happens while simulated time passes (see SessionStore.advance). */
export interface TimePassing {
  /** Sessions created during the interval (spread uniformly over it). */
  newSessions?: number;
  /** Share (0..1) of the sessions ACTIVE at the start that complete during the interval. */
  endActive?: number;
}

export class SessionStore {
  cols: SessionColumns;
  /** Changes each time simulated time passes. */
  version = 0;
  /** Sorted keys: floor((updated - base)/1000) * 2^21 + index. */
  private updKeys: Float64Array;
  private readonly rng: Rng;
  private readonly entities: Entities;
  private readonly regionIndex: Map<string, number>;
  private readonly base: number;
  private readonly cache = new Map<string, Uint32Array>();

  constructor(input: GenerateInput) {
    const { n, seed, now0, historyMs, entities } = input;
    if (!Number.isInteger(n) || n < 0 || n > MAX_SESSIONS) {
      throw new RangeError(`sessions must be an integer in 0..${MAX_SESSIONS}, got ${n}`);
    }
    const rng = createRng((seed ^ 0x5e55_1077) >>> 0);
    this.rng = rng;
    this.entities = entities;
    const created = new Float64Array(n);
    for (let i = 0; i < n; i++) created[i] = now0 - 1 - Math.floor(rng.next() * historyMs);
    created.sort();
    const cols: SessionColumns = {
      n,
      created,
      updated: new Float64Array(n),
      status: new Uint8Array(n),
      kind: new Uint8Array(n),
      ref: new Uint32Array(n),
      region: new Uint8Array(n),
      protocol: new Uint8Array(n),
      reason: new Uint8Array(n),
      publicIp: new Uint32Array(n),
      bytesIn: new Float64Array(n),
      bytesOut: new Float64Array(n),
    };
    const regionIndex = new Map(entities.regions.map((r, i) => [r.id, i] as const));
    this.regionIndex = regionIndex;
    for (let i = 0; i < n; i++) this.fill(cols, i, rng, now0, entities, regionIndex);
    this.cols = cols;
    this.base = now0 - historyMs - 1000;
    this.updKeys = this.updateKeys();
  }

  private updateKeys(): Float64Array {
    const { n, updated } = this.cols;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = this.relSec(updated[i]) * INDEX_SPAN + i;
    return keys.sort();
  }

  /**
   * Lets time pass from `from` to `to`: new sessions start in (from, to] (appended, so existing
   * indexes and ids stay), and a share of the ACTIVE sessions complete in that interval (updated
   * = their end, so a "created or updated since" query finds them). Deterministic per seed.
   */
  advance(from: number, to: number, what: TimePassing): void {
    if (!(to > from)) return;
    const old = this.cols;
    const add = Math.max(0, Math.floor(what.newSessions ?? 0));
    const n = old.n + add;
    if (n > MAX_SESSIONS) throw new RangeError(`at most ${MAX_SESSIONS} sessions`);
    const grow = <T extends Float64Array | Uint8Array | Uint32Array>(a: T, make: (len: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    const cols: SessionColumns = {
      n,
      created: grow(old.created, (l) => new Float64Array(l)),
      updated: grow(old.updated, (l) => new Float64Array(l)),
      status: grow(old.status, (l) => new Uint8Array(l)),
      kind: grow(old.kind, (l) => new Uint8Array(l)),
      ref: grow(old.ref, (l) => new Uint32Array(l)),
      region: grow(old.region, (l) => new Uint8Array(l)),
      protocol: grow(old.protocol, (l) => new Uint8Array(l)),
      reason: grow(old.reason, (l) => new Uint8Array(l)),
      publicIp: grow(old.publicIp, (l) => new Uint32Array(l)),
      bytesIn: grow(old.bytesIn, (l) => new Float64Array(l)),
      bytesOut: grow(old.bytesOut, (l) => new Float64Array(l)),
    };
    const rng = this.rng;
    const end = what.endActive ?? 0;
    for (let i = 0; i < old.n; i++) {
      if (cols.status[i] !== ACTIVE || rng.next() >= end) continue;
      const from2 = Math.max(from, cols.created[i]);
      const ended = from2 + 1 + Math.floor(rng.next() * (to - from2 - 1));
      cols.status[i] = COMPLETED;
      cols.updated[i] = ended;
      cols.reason[i] = rng.int(5);
      const [bytesIn, bytesOut] = traffic(rng, COMPLETED, ended - cols.created[i]);
      cols.bytesIn[i] = bytesIn;
      cols.bytesOut[i] = bytesOut;
    }
    const created = Array.from({ length: add }, () => from + 1 + Math.floor(rng.next() * (to - from - 1))).sort((a, b) => a - b);
    for (let k = 0; k < add; k++) {
      const i = old.n + k;
      cols.created[i] = created[k];
      this.fill(cols, i, rng, to, this.entities, this.regionIndex);
    }
    this.cols = cols;
    this.updKeys = this.updateKeys();
    this.cache.clear();
    this.version++;
  }

  private fill(c: SessionColumns, i: number, rng: Rng, now0: number, ent: Entities, regionIndex: Map<string, number>): void {
    const u = rng.next();
    const status = u < 0.15 ? ACTIVE : u < 0.9 ? COMPLETED : FAILED;
    const owner = pickOwner(rng, ent, regionIndex);
    const created = c.created[i];
    let updated: number;
    if (status === ACTIVE) {
      // Heartbeat within the last 5 minutes before the generation clock, never before creation.
      updated = Math.max(created, now0 - 1 - rng.int(5 * MINUTE));
      c.reason[i] = NO_REASON;
    } else {
      updated = created + endedDuration(rng, status, created, now0);
      c.reason[i] = status === FAILED ? rng.int(4) : rng.int(5);
    }
    const [bytesIn, bytesOut] = traffic(rng, status, updated - created);
    c.updated[i] = updated;
    c.status[i] = status;
    c.kind[i] = owner.kind;
    c.ref[i] = owner.ref;
    c.region[i] = owner.region;
    c.protocol[i] = owner.kind === KIND_USER && rng.next() < 0.25 ? 1 : 0;
    c.publicIp[i] =
      owner.kind === KIND_USER ? (PUBLIC_RANGES[rng.int(3)] + 1 + rng.int(254)) >>> 0 : (PUBLIC_RANGES[1] + 10 + owner.kind * 16 + owner.ref) >>> 0;
    c.bytesIn[i] = bytesIn;
    c.bytesOut[i] = bytesOut;
  }

  private relSec(ms: number): number {
    return Math.max(0, Math.floor((ms - this.base) / 1000));
  }

  /** Indices (ascending = stable order) of the sessions matching the filter; cached per filter. */
  matches(f: SessionFilter): Uint32Array {
    const key = `${f.start}|${f.end}|${f.status}|${f.onlyNew}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const list = this.compute(f);
    this.cache.set(key, list);
    if (this.cache.size > 8) this.cache.delete(this.cache.keys().next().value as string);
    return list;
  }

  private compute(f: SessionFilter): Uint32Array {
    const { created, updated, status } = this.cols;
    if (!(f.start < f.end)) return new Uint32Array(0);
    const a = lowerBound(created, f.start);
    const b = lowerBound(created, f.end);
    const extras: number[] = [];
    if (!f.onlyNew) {
      // Sessions created before `start` but updated within [start, end): found via the update index.
      const lo = lowerBound(this.updKeys, this.relSec(f.start) * INDEX_SPAN);
      const hi = Number.isFinite(f.end) ? lowerBound(this.updKeys, (this.relSec(f.end) + 1) * INDEX_SPAN) : this.updKeys.length;
      for (let k = lo; k < hi; k++) {
        const i = this.updKeys[k] % INDEX_SPAN;
        if (i < a && updated[i] >= f.start && updated[i] < f.end && (f.status < 0 || status[i] === f.status)) extras.push(i);
      }
    }
    const sortedExtras = Uint32Array.from(extras).sort();
    let count = 0;
    for (let i = a; i < b; i++) if (f.status < 0 || status[i] === f.status) count++;
    const out = new Uint32Array(sortedExtras.length + count);
    out.set(sortedExtras, 0);
    let w = sortedExtras.length;
    for (let i = a; i < b; i++) if (f.status < 0 || status[i] === f.status) out[w++] = i;
    return out;
  }
}
