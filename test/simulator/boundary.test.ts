// The Boundary simulator follows the controller's rules: validation before auth, 401/403 for a bad
// token, the filter grammar (400 otherwise), list_token paging and password login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoundarySimulator, type BoundarySimulator } from '../../src/simulator/boundary/index.js';
import { matches, parseFilter } from '../../src/simulator/boundary/filter.js';

let sim: BoundarySimulator;
beforeAll(async () => {
  sim = await startBoundarySimulator({ seed: 4, sessions: 12, maxPageSize: 5 });
});
afterAll(async () => sim.close());

async function get(path: string, token: string | undefined = sim.token) {
  const res = await fetch(sim.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

describe('Boundary simulator', () => {
  it('pages with list_token: delta pages, then complete', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    const types: string[] = [];
    do {
      const r = await get(`/v1/sessions?scope_id=global&recursive=true&include_terminated=true${token ? `&list_token=${token}` : ''}`);
      seen.push(...((r.body.items as Array<{ id: string }>) ?? []).map((i) => i.id));
      types.push(String(r.body.response_type));
      token = r.body.response_type === 'complete' ? undefined : String(r.body.list_token);
    } while (token);
    expect(seen).toEqual(sim.data.sessions.map((s) => s.id));
    expect(types.at(-1)).toBe('complete');
    expect(types.slice(0, -1).every((t) => t === 'delta')).toBe(true);
  });

  it('hides terminated sessions unless include_terminated=true', async () => {
    const r = await get('/v1/sessions?scope_id=global&recursive=true&page_size=1000');
    expect((r.body.items as Array<{ status: string }> | undefined)?.every((s) => s.status !== 'terminated') ?? true).toBe(true);
  });

  it('a bad token: recursive list 403 PermissionDenied, project list 401, scopes listed anonymously', async () => {
    expect((await get('/v1/sessions?scope_id=global&recursive=true', 'at_bad')).body).toEqual({ kind: 'PermissionDenied', message: 'Forbidden.' });
    const project = sim.data.scopes.find((s) => s.type === 'project')!.id;
    expect((await get(`/v1/sessions?scope_id=${project}`, 'at_bad')).status).toBe(401);
    expect((await get('/v1/scopes?scope_id=global&recursive=true', undefined)).status).toBe(200);
  });

  it('validates scope_id before auth and refuses a filter in SQL syntax', async () => {
    expect((await get('/v1/sessions?scope_id=global', undefined)).status).toBe(400);
    const r = await get(`/v1/sessions?scope_id=global&recursive=true&filter=${encodeURIComponent("status = 'active'")}`);
    expect(r.status).toBe(400);
    expect(r.body.kind).toBe('InvalidArgument');
  });

  it('evaluates the go-bexpr forms sessql sends, and a few more', () => {
    const item = { id: 's_1', status: 'active', user_id: 'u_1', authorized_actions: ['read:self'] };
    const t = (e: string) => matches(parseFilter(e), { item });
    expect(t('"/item/status" == "active"')).toBe(true);
    expect(t('("/item/status" == "pending" or "/item/status" == "active") and "/item/user_id" == "u_1"')).toBe(true);
    expect(t('item.status != "active"')).toBe(false);
    expect(t('"read:self" in "/item/authorized_actions"')).toBe(true);
    expect(t('"/item/termination_reason" is empty')).toBe(true);
    expect(t('not "/item/id" matches "^s_"')).toBe(false);
    expect(() => parseFilter("status = 'active'")).toThrow();
  });

  it('password login issues a token that lists; a wrong password is 401 Unauthenticated', async () => {
    const login = (password: string) =>
      fetch(`${sim.url}/v1/auth-methods/${sim.authMethodId}:authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: 'login', attributes: { login_name: sim.loginName, password } }),
      });
    const bad = await login('nope');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ kind: 'Unauthenticated', message: 'Unable to authenticate.' });
    const ok = (await (await login(sim.password)).json()) as { attributes: { token: string } };
    expect((await get('/v1/users?scope_id=global&recursive=true', ok.attributes.token)).status).toBe(200);
  });

  it('answers 429 with an empty body and Retry-After when rate limited', async () => {
    const limited = await startBoundarySimulator({ seed: 4, rateLimitEvery: 2, retryAfterSeconds: 3 });
    try {
      const h = { authorization: `Bearer ${limited.token}` };
      await fetch(`${limited.url}/v1/users?scope_id=global&recursive=true`, { headers: h });
      const r = await fetch(`${limited.url}/v1/users?scope_id=global&recursive=true`, { headers: h });
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('3');
      expect(await r.text()).toBe('');
    } finally {
      await limited.close();
    }
  });
});
