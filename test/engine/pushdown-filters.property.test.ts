// Property: filter parameters (Boundary's filter expression, SSM's Filters) only change how much
// is fetched, never the answer. Random conjunctions return the same rows with pushdown as with
// everything fetched and filtered by SQLite — including date literals in forms whose text order
// differs from time order, and bounds on the second the rows start in.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { startBoundarySimulator, type BoundarySimulator } from '../../src/simulator/boundary/index.js';
import { startSsmSimulator, type SsmSimulator } from '../../src/simulator/ssm/index.js';
import { bndEngine, ssmEngine } from '../helpers/engines.js';

let ssm: SsmSimulator;
let bnd: BoundarySimulator;
const engines: Record<string, Engine> = {};

beforeAll(async () => {
  [ssm, bnd] = await Promise.all([
    startSsmSimulator({ seed: 21, sessionsPerRegion: 60 }),
    startBoundarySimulator({ seed: 21, sessions: 60, maxPageSize: 9 }),
  ]);
  engines.ssmPushed = ssmEngine(ssm);
  engines.ssmPlain = ssmEngine(ssm, { pushdown: false });
  engines.bndPushed = bndEngine(bnd);
  engines.bndPlain = bndEngine(bnd, { pushdown: false });
});
afterAll(async () => {
  for (const e of Object.values(engines)) e.close();
  await Promise.all([ssm.close(), bnd.close()]);
});

const q = (v: string) => `'${v}'`;

function ssmPredicate(): fc.Arbitrary<string> {
  const all = [...ssm.data.get('us-east-1')!.Active, ...ssm.data.get('us-east-1')!.History];
  const session = fc.constantFrom(...all);
  const status = fc.constantFrom('Connected', 'Disconnected', 'Connecting', 'Terminated', 'Failed', 'connected');
  // instants at, just around, and between the rows' own start times, in several literal forms
  const instant = fc
    .tuple(session, fc.integer({ min: -1500, max: 1500 }))
    .map(([s, d]) => new Date(Math.round(s.StartDate * 1000) + d).toISOString());
  const literal = fc
    .tuple(instant, fc.constantFrom('iso', 'seconds', 'space', 'day', 'minutes'))
    .map(([t, f]) =>
      f === 'iso'
        ? t
        : f === 'seconds'
          ? `${t.slice(0, 19)}Z`
          : f === 'space'
            ? t.slice(0, 19).replace('T', ' ')
            : f === 'day'
              ? t.slice(0, 10)
              : t.slice(0, 16),
    );
  return fc.oneof(
    status.map((s) => `Status = ${q(s)}`),
    fc.uniqueArray(status, { minLength: 1, maxLength: 3 }).map((v) => `Status IN (${v.map(q).join(', ')})`),
    status.map((s) => `Status <> ${q(s)}`),
    session.map((s) => `Target = ${q(s.Target)}`),
    session.map((s) => `Owner = ${q(s.Owner)}`),
    session.map((s) => `SessionId = ${q(s.SessionId)}`),
    fc.constantFrom('Standard', 'JustInTime').map((a) => `AccessType = ${q(a)}`),
    fc.tuple(fc.constantFrom('>=', '>', '<', '<=', '='), literal).map(([op, t]) => `StartDate ${op} ${q(t)}`),
    fc.tuple(literal, literal).map(([a, b]) => `StartDate BETWEEN ${q(a < b ? a : b)} AND ${q(a < b ? b : a)}`),
    fc.tuple(session, status).map(([s, st]) => `(Target = ${q(s.Target)} OR Status = ${q(st)})`),
  );
}

function bndPredicate(): fc.Arbitrary<string> {
  const session = fc.constantFrom(...bnd.data.sessions);
  const status = fc.constantFrom('active', 'pending', 'canceling', 'terminated', 'Active');
  return fc.oneof(
    status.map((s) => `status = ${q(s)}`),
    fc.uniqueArray(status, { minLength: 1, maxLength: 3 }).map((v) => `status IN (${v.map(q).join(', ')})`),
    status.map((s) => `status <> ${q(s)}`),
    session.map((s) => `user_id = ${q(String(s.user_id))}`),
    session.map((s) => `target_id = ${q(String(s.target_id))}`),
    session.map((s) => `scope_id = ${q(String(s.scope_id))}`),
    fc.tuple(session, status).map(([s, st]) => `(user_id = ${q(String(s.user_id))} OR status = ${q(st)})`),
    fc.constantFrom("upper(status) = 'ACTIVE'", "type = 'ssh'", 'termination_reason IS NULL'),
  );
}

it('SSM: random conjunctions return the same rows with and without Filters', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(ssmPredicate(), { minLength: 1, maxLength: 4 }), async (preds) => {
      const sql = `SELECT SessionId, state, StartDate FROM aws.ssm.sessions WHERE ${preds.join(' AND ')} ORDER BY SessionId`;
      const [a, b] = await Promise.all([engines.ssmPushed.query(sql), engines.ssmPlain.query(sql)]);
      expect(a.rows, sql).toEqual(b.rows);
    }),
    { numRuns: 60 },
  );
});

it('Boundary: random conjunctions return the same rows with and without the filter expression', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(bndPredicate(), { minLength: 1, maxLength: 4 }), async (preds) => {
      const sql = `SELECT id, status FROM boundary.access.sessions WHERE ${preds.join(' AND ')} ORDER BY id`;
      const [a, b] = await Promise.all([engines.bndPushed.query(sql), engines.bndPlain.query(sql)]);
      expect(a.rows, sql).toEqual(b.rows);
    }),
    { numRuns: 40 },
  );
});
