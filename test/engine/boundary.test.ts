// SQL-level tests of the Boundary provider against its simulator: rows, and the exact calls made
// (the filter expression sent, list_token pages, login requests, errors in Boundary's words).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBoundarySimulator, type BoundarySimulator } from '../../src/simulator/boundary/index.js';
import { bndEngine, failureOf, queryOnce } from '../helpers/engines.js';

let sim: BoundarySimulator;
beforeAll(async () => {
  // max page size 7 so every listing spans several list_token pages
  sim = await startBoundarySimulator({ seed: 3, sessions: 40, maxPageSize: 7 });
});
afterAll(async () => sim.close());
beforeEach(() => sim.resetLog());

const run = (sql: string, opts: Parameters<typeof bndEngine>[1] = {}) => queryOnce(bndEngine(sim, opts), sql);
const lists = (path: string) => sim.requests.filter((r) => r.path === path);
const pages = (n: number) => Math.max(1, Math.ceil(n / 7));

describe('boundary.access.sessions', () => {
  it('lists every session, terminated ones included, following list_token until complete', async () => {
    const r = await run('SELECT id, status FROM boundary.access.sessions');
    expect(r.rows.map((x) => x[0]).sort()).toEqual(sim.data.sessions.map((s) => s.id).sort());
    expect(r.rows.some((x) => x[1] === 'terminated')).toBe(true);
    const calls = lists('/v1/sessions');
    expect(calls).toHaveLength(pages(sim.data.sessions.length));
    for (const c of calls) {
      expect(c.query).toMatchObject({ scope_id: 'global', recursive: 'true', include_terminated: 'true' });
      expect(c.query.filter).toBeUndefined();
    }
    expect(calls[0].query.list_token).toBeUndefined();
    expect(calls.slice(1).every((c) => c.query.list_token)).toBe(true);
  });

  it('sends status = and IN as the filter expression, on every page', async () => {
    const active = sim.data.sessions.filter((s) => s.status === 'active');
    const r = await run("SELECT id FROM boundary.access.sessions WHERE status = 'active'");
    expect(r.rows.map((x) => x[0]).sort()).toEqual(active.map((s) => s.id).sort());
    const calls = lists('/v1/sessions');
    expect(calls).toHaveLength(pages(active.length));
    for (const c of calls) expect(c.query.filter).toBe('"/item/status" == "active"');

    sim.resetLog();
    const some = sim.data.sessions.filter((s) => s.status === 'pending' || s.status === 'canceling');
    const r2 = await run("SELECT id FROM boundary.access.sessions WHERE status IN ('pending', 'canceling')");
    expect(r2.rows).toHaveLength(some.length);
    expect(lists('/v1/sessions')[0].query.filter).toBe('("/item/status" == "pending" or "/item/status" == "canceling")');
  });

  it('combines user_id and target_id with and; other predicates stay in SQLite', async () => {
    const s0 = sim.data.sessions[0];
    const expected = sim.data.sessions.filter((s) => s.user_id === s0.user_id && s.target_id === s0.target_id && s.type !== 'nope');
    const r = await run(
      `SELECT id FROM boundary.access.sessions WHERE user_id = '${s0.user_id}' AND target_id = '${s0.target_id}' AND type <> 'nope'`,
    );
    expect(r.rows.map((x) => x[0]).sort()).toEqual(expected.map((s) => s.id).sort());
    expect(lists('/v1/sessions')[0].query.filter).toBe(`"/item/user_id" == "${s0.user_id}" and "/item/target_id" == "${s0.target_id}"`);
  });

  it('does not push a predicate whose meaning differs (case, OR, functions)', async () => {
    const r = await run("SELECT count(*) FROM boundary.access.sessions WHERE upper(status) = 'ACTIVE' OR status = 'pending'");
    expect(r.rows[0][0]).toBe(sim.data.sessions.filter((s) => s.status === 'active' || s.status === 'pending').length);
    expect(lists('/v1/sessions').every((c) => c.query.filter === undefined)).toBe(true);
  });

  it('reads an empty page that leaves out items (protojson) as no rows', async () => {
    const r = await run("SELECT count(*) FROM boundary.access.sessions WHERE status = 'Active'");
    expect(r.rows[0][0]).toBe(0);
    expect(lists('/v1/sessions')).toHaveLength(1);
  });

  it('returns nothing for contradictory equalities without sending an impossible filter', async () => {
    const r = await run("SELECT count(*) FROM boundary.access.sessions WHERE status = 'active' AND status = 'pending'");
    expect(r.rows[0][0]).toBe(0);
    expect(lists('/v1/sessions')[0].query.filter).toBeUndefined();
  });

  it('keeps the API’s field names, JSON for nested values and NULL for absent fields', async () => {
    const r = await run("SELECT id, termination_reason, connections, created_time FROM boundary.access.sessions WHERE status = 'active' LIMIT 1");
    const [id, reason, connections, created] = r.rows[0] as [string, string | null, string, string];
    expect(id).toMatch(/^s_/);
    expect(reason).toBeNull();
    expect(JSON.parse(connections)[0].bytes_up).toMatch(/^\d+$/);
    expect(created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('joins', () => {
  it('who is connected to what: sessions ⋈ users ⋈ targets ⋈ scopes', async () => {
    const r = await run(`SELECT u.login_name, t.name, p.name FROM boundary.access.sessions s
      JOIN boundary.iam.users u ON u.id = s.user_id JOIN boundary.access.targets t ON t.id = s.target_id
      JOIN boundary.iam.scopes p ON p.id = s.scope_id WHERE s.status = 'active'`);
    expect(r.rows).toHaveLength(sim.data.sessions.filter((s) => s.status === 'active').length);
    expect(lists('/v1/users')).toHaveLength(pages(sim.data.users.length));
    expect(lists('/v1/targets')).toHaveLength(pages(sim.data.targets.length));
    expect(lists('/v1/scopes')).toHaveLength(pages(sim.data.scopes.length));
  });

  it('pushes type on targets', async () => {
    const r = await run("SELECT name FROM boundary.access.targets WHERE type = 'ssh'");
    expect(r.rows).toHaveLength(sim.data.targets.filter((t) => t.type === 'ssh').length);
    expect(lists('/v1/targets')[0].query.filter).toBe('"/item/type" == "ssh"');
  });
});

describe('credentials', () => {
  it('logs in with the password auth method when no token is set, once per run', async () => {
    const engine = bndEngine(sim, {
      config: { boundary: { token: '', authMethodId: sim.authMethodId, loginName: sim.loginName, password: sim.password } },
    });
    try {
      await engine.query('SELECT count(*) FROM boundary.iam.users');
      await engine.query("SELECT count(*) FROM boundary.access.sessions WHERE status = 'active'");
    } finally {
      engine.close();
    }
    const logins = sim.requests.filter((r) => r.path.endsWith(':authenticate'));
    expect(logins).toHaveLength(1);
    expect(logins[0].body).toMatchObject({ command: 'login', attributes: { login_name: sim.loginName } });
  });

  it('a logged-in token that stops working (a recursive list answers 403) is replaced by one new login', async () => {
    const own = await startBoundarySimulator({ seed: 4, sessions: 20, maxPageSize: 7 });
    const engine = bndEngine(own, {
      config: { boundary: { token: '', authMethodId: own.authMethodId, loginName: own.loginName, password: own.password } },
    });
    try {
      const before = await engine.query('SELECT count(*) FROM boundary.access.sessions');
      own.revokeTokens();
      const after = await engine.query('SELECT count(*) FROM boundary.access.sessions');
      expect(after.rows).toEqual(before.rows);
      expect(own.requests.filter((r) => r.path.endsWith(':authenticate'))).toHaveLength(2);
      expect(own.requests.filter((r) => r.status === 403)).toHaveLength(1);
    } finally {
      engine.close();
      await own.close();
    }
  });

  it('a static BOUNDARY_TOKEN that stops working fails naming BOUNDARY_TOKEN, with no login attempted', async () => {
    const own = await startBoundarySimulator({ seed: 4, sessions: 20, maxPageSize: 7 });
    const engine = bndEngine(own);
    try {
      own.revokeTokens();
      const e = await failureOf(() => engine.query('SELECT count(*) FROM boundary.access.sessions'));
      // Boundary answers 403 PermissionDenied; its hint says the token may be expired
      expect(e.code).toBe('FORBIDDEN');
      expect(e.hint).toContain('BOUNDARY_TOKEN');
      expect(own.requests.filter((r) => r.path.endsWith(':authenticate'))).toHaveLength(0);
    } finally {
      engine.close();
      await own.close();
    }
  });

  it('a wrong password is AUTH_FAILED in Boundary’s words, without the password', async () => {
    const e = await failureOf(() =>
      run('SELECT count(*) FROM boundary.iam.users', {
        config: { boundary: { token: '', authMethodId: sim.authMethodId, loginName: sim.loginName, password: 'wrong-password-9' } },
      }),
    );
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toContain('Unable to authenticate.');
    expect(`${e.message} ${e.hint}`).not.toContain('wrong-password-9');
    expect(e.hint).toContain('BOUNDARY_AUTHENTICATE_PASSWORD_PASSWORD');
  });

  it('no token and no login settings: MISSING_CREDENTIALS naming the variables, before any request', async () => {
    const e = await failureOf(() => run('SELECT count(*) FROM boundary.access.sessions', { config: { boundary: { token: '' } } }));
    expect(e.code).toBe('MISSING_CREDENTIALS');
    expect(e.hint).toContain('BOUNDARY_TOKEN');
    expect(sim.requests).toHaveLength(0);
  });

  it('a bad token on a recursive list is a 403 PermissionDenied: says to check BOUNDARY_TOKEN', async () => {
    const bad = 'at_0000000000_s1notarealtoken';
    const e = await failureOf(() => run('SELECT count(*) FROM boundary.access.sessions', { config: { boundary: { token: bad } } }));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toContain('PermissionDenied');
    expect(e.hint).toContain('BOUNDARY_TOKEN');
    expect(`${e.message} ${e.hint}`).not.toContain(bad);
  });
});

describe('rate limits and errors', () => {
  it('waits out a 429 with Retry-After and continues the listing', async () => {
    sim.injectFault({ path: '/v1/sessions', status: 429, body: '', retryAfterSeconds: 0, after: 1, times: 1 });
    const r = await run('SELECT count(*) FROM boundary.access.sessions');
    expect(r.rows[0][0]).toBe(sim.data.sessions.length);
    expect(lists('/v1/sessions').filter((c) => c.status === 429)).toHaveLength(1);
    expect(r.stats.retries).toBe(1);
  });

  it('a filter the controller cannot parse is a 400 with its kind and message', async () => {
    sim.injectFault({ path: '/v1/users', status: 400, code: 'InvalidArgument', message: 'Invalid fields provided in request.' });
    const e = await failureOf(() => run('SELECT count(*) FROM boundary.iam.users'));
    expect(e.code).toBe('API_ERROR');
    expect(e.message).toContain('InvalidArgument: Invalid fields provided in request.');
  });
});
