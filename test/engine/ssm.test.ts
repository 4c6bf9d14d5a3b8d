// SQL-level tests of the AWS Session Manager provider against the SSM simulator, which verifies
// SigV4 for real: rows, and the exact calls made (State, Filters and NextToken sent, regions).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSsmSimulator, type SsmSimulator } from '../../src/simulator/ssm/index.js';
import type { SsmSession } from '../../src/simulator/ssm/data.js';
import { failureOf, queryOnce, ssmEngine } from '../helpers/engines.js';

let sim: SsmSimulator;
beforeAll(async () => {
  sim = await startSsmSimulator({ seed: 9, sessionsPerRegion: 40 });
});
afterAll(async () => sim.close());
beforeEach(() => sim.resetLog());

const run = (sql: string, opts: Parameters<typeof ssmEngine>[1] = {}) => queryOnce(ssmEngine(sim, opts), sql);
type Body = { State: string; MaxResults?: number; NextToken?: string; Filters?: Array<{ key: string; value: string }> };
const bodies = () => sim.requests.map((r) => r.body as Body);
const all = (region: string) => [...sim.data.get(region)!.Active, ...sim.data.get(region)!.History];
const iso = (s: number) => new Date(Math.round(s * 1000)).toISOString();

describe('aws.ssm.sessions', () => {
  it('unbound state: fetches Active and History, each row carrying its state; dates as ISO-8601 UTC', async () => {
    const r = await run('SELECT SessionId, state, StartDate, EndDate, OutputUrl FROM aws.ssm.sessions');
    const region = sim.data.get('us-east-1')!;
    expect(r.rows).toHaveLength(region.Active.length + region.History.length);
    const byId = new Map(r.rows.map((x) => [x[0], x]));
    for (const s of region.Active) {
      expect(byId.get(s.SessionId)?.[1]).toBe('Active');
      expect(byId.get(s.SessionId)?.[3]).toBeNull();
    }
    const h: SsmSession = region.History[0];
    expect(byId.get(h.SessionId)?.slice(1, 4)).toEqual(['History', iso(h.StartDate), iso(h.EndDate!)]);
    expect(String(byId.get(h.SessionId)?.[2])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(JSON.parse(String(byId.get(h.SessionId)?.[4]))).toEqual(h.OutputUrl);
    const states = bodies().map((b) => b.State);
    expect(new Set(states)).toEqual(new Set(['Active', 'History']));
    for (const b of bodies()) expect(b.MaxResults).toBe(200);
    for (const req of sim.requests) expect(req.headers?.['x-amz-target']).toBe('AmazonSSM.DescribeSessions');
  });

  it('sends equalities and StartDate bounds as Filters; IN and other predicates stay in SQLite', async () => {
    const region = sim.data.get('us-east-1')!;
    const s0 = region.Active[0];
    const since = new Date(Math.floor(s0.StartDate * 1000) - 86_400_000).toISOString();
    const r = await run(
      `SELECT SessionId FROM aws.ssm.sessions WHERE state = 'Active' AND Owner = '${s0.Owner}' AND StartDate >= '${since}' AND Status IN ('Connected', 'Disconnected', 'Connecting')`,
    );
    const expected = region.Active.filter((s) => s.Owner === s0.Owner && s.StartDate * 1000 >= Date.parse(since));
    expect(r.rows.map((x) => x[0]).sort()).toEqual(expected.map((s) => s.SessionId).sort());
    for (const b of bodies()) {
      expect(b.State).toBe('Active');
      expect(b.Filters).toEqual([
        { key: 'Owner', value: s0.Owner },
        { key: 'InvokedAfter', value: since.replace(/\.\d{3}Z$/, 'Z') },
      ]);
    }
  });

  it('an upper bound widens to the next second (InvokedBefore), so no row SQLite keeps is lost', async () => {
    const region = sim.data.get('us-east-1')!;
    const h = region.History[3];
    const at = iso(h.StartDate); // the row itself: StartDate <= its own instant
    const r = await run(`SELECT SessionId FROM aws.ssm.sessions WHERE state = 'History' AND StartDate <= '${at}'`);
    expect(r.rows.map((x) => x[0])).toContain(h.SessionId);
    expect(r.rows).toHaveLength(region.History.filter((s) => iso(s.StartDate) <= at).length);
    const before = bodies()[0].Filters![0];
    expect(before.key).toBe('InvokedBefore');
    expect(Date.parse(before.value)).toBeGreaterThan(Date.parse(at));
  });

  it('follows NextToken through short and empty filtered pages', async () => {
    const region = sim.data.get('us-east-1')!;
    const target = region.History[0].Target;
    const r = await run(`SELECT SessionId FROM aws.ssm.sessions WHERE state = 'History' AND Target = '${target}'`, {});
    expect(r.rows).toHaveLength(region.History.filter((s) => s.Target === target).length);
    // MaxResults 200 covers the region in one page; a smaller page size proves the paging
    sim.resetLog();
    const small = await startSsmSimulator({ seed: 9, sessionsPerRegion: 40 });
    try {
      const engine = ssmEngine(small);
      const narrow = engine.catalog.providers.get('aws')!.spec.services.ssm.resources.sessions;
      const saved = narrow.request.body;
      narrow.request.body = { MaxResults: 3 };
      try {
        const r2 = await engine.query(`SELECT SessionId FROM aws.ssm.sessions WHERE state = 'History' AND Target = '${target}'`);
        expect(r2.rows).toHaveLength(region.History.filter((s) => s.Target === target).length);
      } finally {
        narrow.request.body = saved;
        engine.close();
      }
      const sent = small.requests.map((q) => q.body as Body);
      expect(sent).toHaveLength(Math.ceil(region.History.length / 3));
      expect(sent.slice(1).every((b) => typeof b.NextToken === 'string' && b.Filters?.[0].value === target)).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('region IN (…) fans out, one set of calls per region, each signed for its region', async () => {
    const r = await run("SELECT region, count(*) FROM aws.ssm.sessions WHERE region IN ('us-east-1', 'eu-west-1') GROUP BY region ORDER BY region");
    expect(r.rows).toEqual([
      ['eu-west-1', all('eu-west-1').length],
      ['us-east-1', all('us-east-1').length],
    ]);
    expect(sim.requests).toHaveLength(4);
  });
});

describe('credentials and errors', () => {
  it('a wrong secret fails the signature check: AUTH_FAILED with the AWS code, no secret printed', async () => {
    const wrong = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00';
    const e = await failureOf(() =>
      run("SELECT count(*) FROM aws.ssm.sessions WHERE state = 'Active'", { config: { aws: { secretAccessKey: wrong } } }),
    );
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toContain('InvalidSignatureException');
    expect(e.message).not.toContain('com.amazonaws.ssm#');
    expect(e.hint).toContain('AWS_SECRET_ACCESS_KEY');
    expect(`${e.message} ${e.hint}`).not.toContain(wrong);
    expect(sim.requests).toHaveLength(1); // not retried
  });

  it('an unknown key id is UnrecognizedClientException', async () => {
    const e = await failureOf(() =>
      run("SELECT count(*) FROM aws.ssm.sessions WHERE state = 'Active'", { config: { aws: { accessKeyId: 'AKIAUNKNOWN000000000' } } }),
    );
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toContain('UnrecognizedClientException');
  });

  it('ThrottlingException (a 400) is retried', async () => {
    sim.injectFault({ status: 400, code: 'ThrottlingException', message: 'Rate exceeded', times: 2 });
    const r = await run("SELECT count(*) FROM aws.ssm.sessions WHERE state = 'Active'");
    expect(r.rows[0][0]).toBe(sim.data.get('us-east-1')!.Active.length);
    expect(r.stats.retries).toBe(2);
  });

  it('a region must be known: MISSING_PARAMETER before any request', async () => {
    const e = await failureOf(() => run('SELECT count(*) FROM aws.ssm.sessions', { config: { aws: { region: '' } } }));
    expect(e.code).toBe('MISSING_PARAMETER');
    expect(sim.requests).toHaveLength(0);
  });

  it('the endpoint comes from AWS_ENDPOINT_URL_SSM, else AWS_ENDPOINT_URL; region from AWS_REGION', async () => {
    const env = {
      AWS_ENDPOINT_URL: sim.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: sim.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sim.secretAccessKey,
    };
    const { createEngine } = await import('../../src/engine/engine.js');
    const r = await queryOnce(createEngine({ env, cache: false }), "SELECT count(*) FROM aws.ssm.sessions WHERE state = 'History'");
    expect(r.rows[0][0]).toBe(sim.data.get('eu-west-1')!.History.length);
  });
});
