// Property tests of window splitting against the CloudConnexa simulator (random seeds, sizes,
// windows, cut points): the union of sub-windows, de-duplicated by id, is the whole window; and the
// engine returns the same rows (count, sum(bytesIn), set of ids) with splitting as without it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';

const T0 = Date.parse('2025-06-02T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function token(sim: CloudConnexaSimulator): Promise<string> {
  const q = new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, grant_type: 'client_credentials' });
  const res = await fetch(`${sim.url}/api/v1/oauth/token?${q}`, { method: 'POST' });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Every session id of one window, walking nextCursor to the end (raw HTTP, no engine). */
async function windowIds(sim: CloudConnexaSimulator, bearer: string, start: number, end: number | undefined): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const q = new URLSearchParams({ size: '100', startDate: iso(start) });
    if (end !== undefined) q.set('endDate', iso(end));
    if (cursor) q.set('cursor', cursor);
    const res = await fetch(`${sim.url}/api/v1/sessions?${q}`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sessions: Array<{ id: string }>; nextCursor?: string };
    ids.push(...body.sessions.map((s) => s.id));
    cursor = body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('cursor paging did not end');
}

/** A window inside the simulator's 7 days of history (whole seconds), open-ended or not. */
const windowArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  sessions: fc.integer({ min: 0, max: 400 }),
  startAgoSec: fc.integer({ min: 60, max: 8 * 24 * 3600 }),
  lengthSec: fc.option(fc.integer({ min: 1, max: 8 * 24 * 3600 }), { nil: undefined }),
});

describe('window splitting (property, against the simulator)', () => {
  it('the union of any sub-windows, de-duplicated by id, is the whole window', async () => {
    await fc.assert(
      fc.asyncProperty(windowArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), async (w, cuts) => {
        const sim = await startCloudConnexaSimulator({ seed: w.seed, sessions: w.sessions, historyDays: 7, now: () => T0 });
        try {
          const bearer = await token(sim);
          const start = T0 - w.startAgoSec * 1000;
          const end = w.lengthSec === undefined ? undefined : start + w.lengthSec * 1000;
          const whole = await windowIds(sim, bearer, start, end);
          // cut points on whole seconds inside [start, end); the last sub-window keeps the end
          const span = (end ?? T0 + 1000) - start;
          const bounds = [...new Set(cuts.map((c) => start + Math.floor((c * span) / 1000) * 1000))]
            .filter((b) => b > start && b < (end ?? T0 + 1000))
            .sort((a, b) => a - b);
          const edges = [start, ...bounds];
          const parts = await Promise.all(edges.map((s, i) => windowIds(sim, bearer, s, i + 1 < edges.length ? edges[i + 1] : end)));
          const union = new Set(parts.flat());
          expect(new Set(whole).size).toBe(whole.length); // the API returns each session once per window
          expect([...union].sort()).toEqual([...whole].sort());
        } finally {
          await sim.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('the engine returns the same rows with and without splitting', async () => {
    await fc.assert(
      fc.asyncProperty(
        windowArb,
        fc.integer({ min: 2, max: 9 }),
        fc.constantFrom(undefined, 'ACTIVE', 'COMPLETED'),
        // both schedules: the exact-whatever-the-order split, and the creation-order one
        fc.constantFrom('unknown', 'created'),
        async (w, split, status, pageOrder) => {
          const sim = await startCloudConnexaSimulator({ seed: w.seed, sessions: w.sessions, historyDays: 7, now: () => T0 });
          const engine = (windowSplit: number) =>
            createEngine({
              env: {},
              cache: false,
              now: () => T0,
              windowSplit,
              config: { cloudconnexa: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, pageOrder } },
            });
          try {
            // at least the 2 h a split needs most of the time; shorter windows must not split
            const start = T0 - w.startAgoSec * 1000;
            const length = w.lengthSec === undefined ? undefined : Math.max(w.lengthSec * 1000, w.seed % 4 === 0 ? 1000 : 2 * HOUR);
            const where = [`startDate = '${iso(start)}'`];
            if (length !== undefined) where.push(`endDate = '${iso(start + length)}'`);
            if (status) where.push(`status = '${status}'`);
            const run = async (n: number) => {
              const e = engine(n);
              try {
                const agg = await e.query(`SELECT count(*), sum(bytesIn) FROM cloudconnexa.vpn.sessions WHERE ${where.join(' AND ')}`);
                const ids = await e.query(`SELECT id FROM cloudconnexa.vpn.sessions WHERE ${where.join(' AND ')}`);
                return { agg: agg.rows[0], ids: ids.rows.map((r) => r[0] as string).sort(), requests: agg.stats.requests };
              } finally {
                e.close();
              }
            };
            const plain = await run(1);
            const split_ = await run(split);
            expect(new Set(plain.ids).size).toBe(plain.ids.length);
            expect(split_.agg).toEqual(plain.agg);
            expect(split_.ids).toEqual(plain.ids);
            expect(plain.agg[0]).toBe(plain.ids.length);
          } finally {
            await sim.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it('a long window is really split (so the property above exercises it)', async () => {
    const sim = await startCloudConnexaSimulator({ seed: 1, sessions: 300, historyDays: 7, now: () => T0 });
    try {
      const e = createEngine({
        env: {},
        cache: false,
        now: () => T0,
        windowSplit: 4,
        config: { cloudconnexa: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, pageOrder: 'created' } },
      });
      await e.query(`SELECT count(*) FROM cloudconnexa.vpn.sessions WHERE startDate = '${iso(T0 - 6 * DAY)}'`);
      e.close();
      const starts = new Set(sim.requests.filter((r) => r.path === '/api/v1/sessions').map((r) => r.query.startDate));
      // the probe's start, then at least the 4 planned sub-windows (the first trimmed to where the
      // probe page ended), each asking for the sessions created in it
      expect(starts.size).toBeGreaterThanOrEqual(5);
      expect(
        sim.requests.filter((r) => r.path === '/api/v1/sessions' && r.query.returnOnlyNew === 'true' && !r.query.cursor).length,
      ).toBeGreaterThanOrEqual(4);
    } finally {
      await sim.close();
    }
  });
});
