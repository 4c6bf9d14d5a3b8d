// Property test of the sub-window schedule against an in-memory API with the CloudConnexa window
// semantics (created or updated in [start, end); returnOnlyNew = created only; pages in creation
// order; cursor paging): for random data — skewed in time, partly outside the window, with rows
// updated long after their creation — and random page delays, the rows delivered, de-duplicated
// by id, are exactly the rows the whole window returns, and run-time splits really happen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runWindowSchedule } from '../../src/engine/window-schedule.js';
import { QuotaEstimates, quotaWaitMs } from '../../src/fetch/quota-estimate.js';
import type { CallStats, FetchCall, ProviderClient } from '../../src/fetch/types.js';
import { isoInstant, parseDateTime } from '../../src/plan/values.js';
import { subWindows } from '../../src/plan/plan.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-06-02T12:00:00.000Z');
const SPLIT = { startParam: 'startDate', endParam: 'endDate', minHours: 2, orderedBy: 'sessionStartTime', createdOnly: 'returnOnlyNew' };

interface Row {
  id: string;
  created: number;
  updated: number;
}

function matches(r: Row, start: number, end: number, onlyNew: boolean): boolean {
  return (r.created >= start && r.created < end) || (!onlyNew && r.updated >= start && r.updated < end);
}

function fakeClient(rows: Row[], pageSize: number, delay: () => number, log: FetchCall[]): ProviderClient {
  const sorted = [...rows].sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  const stats = (): CallStats => ({ requests: 0, pages: 0, rows: 0, retries: 0, throttled: 0, polls: 0, tokenRequests: 0 });
  return {
    name: 'fake',
    totals: stats(),
    checkConfig() {},
    quota: () => undefined,
    async fetchPages(call, onPage) {
      log.push(call);
      const start = parseDateTime(String(call.params.startDate))!;
      const end = call.params.endDate === undefined ? Infinity : parseDateTime(String(call.params.endDate))!;
      const list = sorted.filter((r) => matches(r, start, end, call.params.returnOnlyNew === true));
      const s = stats();
      for (let from = 0; ; from += pageSize) {
        await new Promise((r) => setTimeout(r, delay()));
        const page = list.slice(from, from + pageSize).map((r) => ({ id: r.id, sessionStartTime: isoInstant(r.created) }));
        s.requests++;
        s.pages++;
        s.rows += page.length;
        onPage(page);
        const more = from + pageSize < list.length;
        if (s.pages === 1 && call.afterFirstPage && !call.afterFirstPage({ more })) return s;
        if (call.stopAfterPage?.() || !more) return s;
      }
    },
  };
}

const dataArb = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  n: fc.integer({ min: 0, max: 900 }),
  // where the data starts and ends inside a 48 h history (the window asks for the last 40 h)
  fromH: fc.integer({ min: 0, max: 40 }),
  toH: fc.integer({ min: 1, max: 48 }),
  skew: fc.double({ min: 0.2, max: 4, noNaN: true }),
  activeShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
  slots: fc.integer({ min: 2, max: 16 }),
  pageSize: fc.integer({ min: 3, max: 25 }),
  openEnd: fc.boolean(),
});

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('sub-window schedule (property)', () => {
  it('delivers exactly the rows of the whole window, splitting chains that fall behind', async () => {
    let rebalances = 0;
    await fc.assert(
      fc.asyncProperty(dataArb, async (d) => {
        const random = rng(d.seed);
        const lo = T0 - 48 * HOUR + Math.min(d.fromH, d.toH - 1) * HOUR;
        const hi = T0 - 48 * HOUR + d.toH * HOUR;
        const rows: Row[] = Array.from({ length: d.n }, (_, i) => {
          // whole seconds, many on the same second (ties across page boundaries)
          const created = Math.floor((lo + (hi - lo) * random() ** d.skew) / 10_000) * 10_000;
          const updated = random() < d.activeShare ? T0 - 1000 - Math.floor(random() * 300) * 1000 : created + Math.floor(random() * 3 * HOUR);
          return { id: `s${i}`, created, updated };
        });
        const start = T0 - 40 * HOUR;
        const end = d.openEnd ? undefined : T0 - HOUR;
        const wire: Record<string, string> = { startDate: isoInstant(start) };
        if (end !== undefined) wire.endDate = isoInstant(end);
        const planned = subWindows(wire, { ...SPLIT, n: d.slots, now: T0 });
        const log: FetchCall[] = [];
        const client = fakeClient(rows, d.pageSize, () => Math.floor(random() * 4), log);
        const got = new Set<string>();
        const call = { params: wire } as unknown as FetchCall;
        const report = await runWindowSchedule({
          client,
          call,
          planned,
          split: SPLIT,
          add: () => {},
          now: () => T0,
          onPage: (items) => {
            for (const it of items as Array<{ id: string }>) got.add(it.id);
          },
        });
        rebalances += report.rebalances;
        const want = rows.filter((r) => matches(r, start, end ?? Infinity, false)).map((r) => r.id);
        expect([...got].sort()).toEqual([...new Set(want)].sort());
        // never more chains at once than slots (after the probe): checked loosely as no empty windows
        for (const c of log.slice(1)) {
          const s = parseDateTime(String(c.params.startDate))!;
          const e = c.params.endDate === undefined ? Infinity : parseDateTime(String(c.params.endDate))!;
          expect(e).toBeGreaterThan(s);
        }
      }),
      { numRuns: 60 },
    );
    expect(rebalances).toBeGreaterThan(0);
  }, 120_000);
});

describe('sub-window schedule under a slow token bucket', () => {
  it('pages the window in one sequence and estimates the time left from its pace', async () => {
    const rows: Row[] = Array.from({ length: 200 }, (_, i) => ({
      id: `s${i}`,
      created: T0 - 30 * HOUR + i * 60_000,
      updated: T0 - 30 * HOUR + i * 60_000,
    }));
    const inner = fakeClient(rows, 10, () => 0, []);
    const rateLimit = { tokensPerSecond: 1 / 15, capacity: 20 };
    const client: ProviderClient = {
      ...inner,
      fetchPages: (call, onPage) =>
        inner.fetchPages({ ...call, afterFirstPage: call.afterFirstPage && ((i) => call.afterFirstPage!({ ...i, rateLimit })) }, onPage),
    };
    const wire = { startDate: isoInstant(T0 - 40 * HOUR) };
    const events: Array<{ text: string; msLeft: number }> = [];
    const estimates = new QuotaEstimates();
    let delivered = 0;
    const report = await runWindowSchedule({
      client,
      call: { params: wire, resourceId: 'x' } as unknown as FetchCall,
      planned: subWindows(wire, { ...SPLIT, n: 8, now: T0 }),
      split: SPLIT,
      add: () => {},
      now: () => T0,
      emit: (e) => {
        if (e.kind !== 'estimate') return;
        estimates.update(e);
        const text = estimates.text();
        if (text) events.push({ text, msLeft: quotaWaitMs(e.pagesLeft, e.limits, e.tokens) });
      },
      onPage: (items) => void (delivered += items.length),
    });
    expect(report.split).toBe(false);
    expect(delivered).toBe(200);
    expect(events.length).toBeGreaterThan(5);
    // the estimate shrinks as the chain advances, in the bucket's words
    expect(events[0].msLeft).toBeGreaterThan(events[events.length - 2].msLeft);
    // and the schedule says when its window is done: nothing left to estimate
    expect(estimates.text()).toBeUndefined();
    expect(events[0].text).toMatch(/^~\d+ m \d\d s left at 1 request \/ 15 s$/);
  });
});

describe('sub-window schedule failures', () => {
  it('a chain that fails fails the fetch, and the others deliver nothing more', async () => {
    // 60 rows created before the window and updated in it keep the probe going past page 1
    const rows: Row[] = Array.from({ length: 400 }, (_, i) =>
      i < 60
        ? { id: `old${i}`, created: T0 - 45 * HOUR + i * 1000, updated: T0 - 2000 }
        : { id: `s${i}`, created: T0 - 39 * HOUR + i * 300_000, updated: T0 - 39 * HOUR + i * 300_000 },
    );
    for (const failing of ['probe', 'piece'] as const) {
      const inner = fakeClient(rows, 10, () => 1, []);
      let calls = 0;
      const client: ProviderClient = {
        ...inner,
        fetchPages: async (call, onPage) => {
          const n = calls++;
          let pages = 0;
          return inner.fetchPages(call, (items) => {
            if ((failing === 'probe' ? n === 0 : n === 3) && ++pages === 2) throw new Error(`${failing} failed`);
            onPage(items);
          });
        },
      };
      const wire = { startDate: isoInstant(T0 - 40 * HOUR) };
      let afterFailure = 0;
      let failed = false;
      await expect(
        runWindowSchedule({
          client,
          call: { params: wire } as unknown as FetchCall,
          planned: subWindows(wire, { ...SPLIT, n: 4, now: T0 }),
          split: SPLIT,
          add: () => {},
          now: () => T0,
          onPage: () => void (failed && afterFailure++),
        }).finally(() => (failed = true)),
      ).rejects.toThrow(`${failing} failed`);
      await new Promise((r) => setTimeout(r, 50));
      expect(afterFailure).toBe(0);
    }
  });
});
