// Behaviour tests for the Azure (ARM + AAD) Bastion simulator against api-facts.md B/D, over real HTTP
// with global fetch. The simulator clock is injected (`now`), so nothing here depends on wall-clock time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAzureSimulator, type AzureSimOptions, type AzureSimulator, type BastionHost } from '../../src/simulator/azure/index.js';

const NOW = Date.UTC(2025, 2, 4, 12, 0, 0); // 2025-03-04: single-digit month and day
const V = '2025-07-01';
const ARM_SCOPE = 'https://management.azure.com/.default';

type Json = Record<string, any>;

const started: AzureSimulator[] = [];
async function sim(opts: AzureSimOptions = {}): Promise<AzureSimulator> {
  const s = await startAzureSimulator({ now: () => NOW, ...opts });
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

/** ARM call with the simulator's bearer token; `path` may be absolute (nextLink, Location). */
async function arm(
  s: AzureSimulator,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; apiVersion?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const url = new URL(path, s.url);
  if (init.apiVersion !== null && !path.startsWith('http')) url.searchParams.set('api-version', init.apiVersion ?? V);
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? s.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
}

/** Follows nextLink from a first page; returns every item and every nextLink seen. */
async function walk(s: AzureSimulator, first: Json): Promise<{ items: Json[]; links: string[] }> {
  const items: Json[] = [...first.value];
  const links: string[] = [];
  let next: string | undefined = first.nextLink;
  while (next) {
    links.push(next);
    expect(links.length).toBeLessThan(100);
    const r = await arm(s, next);
    expect(r.status).toBe(200);
    const page = (await r.json()) as Json;
    items.push(...page.value);
    next = page.nextLink;
  }
  return { items, links };
}

function token(s: AzureSimulator, form: Record<string, string>, tenant = s.tenantId, headers: Record<string, string> = {}) {
  return fetch(`${s.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

const hostPath = (h: BastionHost): string => h.id;
const sessionsOf = (s: AzureSimulator, h: BastionHost) => s.data.sessions.get(h.id.toLowerCase()) ?? [];

describe('default data set', () => {
  let s: AzureSimulator;
  beforeAll(async () => {
    s = await startAzureSimulator({ now: () => NOW });
  });
  afterAll(() => s.close());

  it('has subscription[0]/rg-core/bastion-core with >= 3 sessions and a host with none', () => {
    expect(s.data.subscriptions).toHaveLength(2);
    expect(s.data.subscriptions[0].displayName).toBe('Contoso Production');
    const sub0 = s.data.subscriptions[0].subscriptionId;
    expect(sub0).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const core = s.data.bastionHosts.find((h) => h.name === 'bastion-core')!;
    expect(core.id).toBe(`/subscriptions/${sub0}/resourceGroups/rg-core/providers/Microsoft.Network/bastionHosts/bastion-core`);
    expect(sessionsOf(s, core).length).toBeGreaterThanOrEqual(3);
    expect(s.data.bastionHosts).toHaveLength(6);
    expect(s.data.bastionHosts.some((h) => sessionsOf(s, h).length === 0)).toBe(true);
  });

  it('sessions carry the B.1 fields, with some sloppy start times', () => {
    const all = [...s.data.sessions.values()].flat();
    for (const x of all) {
      expect(Object.keys(x).sort()).toEqual(
        [
          'protocol',
          'resourceType',
          'sessionDurationInMins',
          'sessionId',
          'startTime',
          'targetHostName',
          'targetIpAddress',
          'targetResourceGroup',
          'targetResourceId',
          'targetSubscriptionId',
          'userName',
        ].sort(),
      );
      expect(typeof x.startTime).toBe('string');
      expect(['SSH', 'RDP']).toContain(x.protocol);
      expect(x.resourceType).toBe('VM');
      expect(x.userName).toMatch(/@/);
      expect(x.targetResourceId).toBe(
        `/subscriptions/${x.targetSubscriptionId}/resourceGroups/${x.targetResourceGroup}/providers/Microsoft.Compute/virtualMachines/${x.targetHostName}`,
      );
      // start + duration = now, whichever format the start time is in
      const [, y, mo, d, hh, mm, ss, frac] = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d\d):(\d\d):(\d\d)\.(\d+)Z$/.exec(x.startTime)!;
      const start = Date.UTC(+y, +mo - 1, +d, +hh, +mm, +ss, Math.round(Number(`0.${frac}`) * 1000));
      expect(Math.abs(start + x.sessionDurationInMins * 60_000 - NOW)).toBeLessThan(100);
    }
    expect(all.some((x) => /^\d{4}-\d-\d+T/.test(x.startTime))).toBe(true); // "2025-3-4T…" like the spec example
    expect(all.some((x) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(x.startTime))).toBe(true); // plain ISO
    expect(all.some((x) => !Number.isInteger(x.sessionDurationInMins))).toBe(true);
  });

  it('hosts have the B.4 shape', () => {
    const h = s.data.bastionHosts[0];
    expect(h).toMatchObject({ type: 'Microsoft.Network/bastionHosts', location: 'westeurope', sku: { name: 'Standard' } });
    expect(h.etag).toMatch(/^W\/"/);
    expect(h.properties).toMatchObject({ provisioningState: 'Succeeded', scaleUnits: expect.any(Number) });
    expect(h.properties.dnsName).toMatch(/\.bastion\.azure\.com$/);
    for (const k of [
      'disableCopyPaste',
      'enableFileCopy',
      'enableIpConnect',
      'enableShareableLink',
      'enableTunneling',
      'enableKerberos',
      'enableSessionRecording',
      'enablePrivateOnlyBastion',
    ] as const) {
      expect(typeof h.properties[k]).toBe('boolean');
    }
    expect(h.properties.ipConfigurations[0].properties.subnet.id).toMatch(/\/subnets\/AzureBastionSubnet$/);
  });
});

describe('AAD token endpoint', () => {
  it('issues a bearer token for the ARM scope that ARM accepts', async () => {
    const s = await sim({ tokens: [] });
    const r = await token(s, { client_id: s.clientId, client_secret: s.clientSecret, scope: ARM_SCOPE, grant_type: 'client_credentials' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Json;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(typeof body.access_token).toBe('string');
    expect((await arm(s, '/subscriptions', { token: body.access_token })).status).toBe(200);
    expect(s.requests[0]).toMatchObject({ method: 'POST', kind: 'token', status: 200 });
  });

  it('accepts the core.windows.net scope and Basic client authentication', async () => {
    const s = await sim();
    const basic = Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64');
    const r = await token(s, { scope: 'https://management.core.windows.net//.default', grant_type: 'client_credentials' }, s.tenantId, {
      authorization: `Basic ${basic}`,
    });
    expect(r.status).toBe(200);
  });

  it('rejects other scopes with 400 invalid_scope', async () => {
    const s = await sim();
    for (const scope of ['https://graph.microsoft.com/.default', 'https://management.azure.com/user_impersonation']) {
      const r = await token(s, { client_id: s.clientId, client_secret: s.clientSecret, scope, grant_type: 'client_credentials' });
      expect(r.status).toBe(400);
      const body = (await r.json()) as Json;
      expect(body.error).toBe('invalid_scope');
      expect(body.error_description).toMatch(/^AADSTS\d+: /);
      expect(body.error_codes).toEqual([expect.any(Number)]);
      expect(body).toHaveProperty('trace_id');
      expect(body).toHaveProperty('correlation_id');
    }
  });

  it('rejects bad credentials with 401 invalid_client, and unknown tenants and grant types with 400', async () => {
    const s = await sim();
    const bad = await token(s, { client_id: s.clientId, client_secret: 'nope', scope: ARM_SCOPE, grant_type: 'client_credentials' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as Json).error).toBe('invalid_client');
    const unknownClient = await token(s, { client_id: 'x', client_secret: s.clientSecret, scope: ARM_SCOPE, grant_type: 'client_credentials' });
    expect(unknownClient.status).toBe(401);
    const tenant = await token(
      s,
      { client_id: s.clientId, client_secret: s.clientSecret, scope: ARM_SCOPE, grant_type: 'client_credentials' },
      'other',
    );
    expect(tenant.status).toBe(400);
    const grant = await token(s, { client_id: s.clientId, client_secret: s.clientSecret, scope: ARM_SCOPE, grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(((await grant.json()) as Json).error).toBe('unsupported_grant_type');
  });
});

describe('ARM request checks', () => {
  it('requires api-version', async () => {
    const s = await sim();
    const r = await arm(s, '/subscriptions', { apiVersion: null });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' },
    });
    expect((await arm(s, '/subscriptions', { apiVersion: '2016-06-01' })).status).toBe(200);
    expect((await arm(s, '/subscriptions', { apiVersion: '2024-09-01-preview' })).status).toBe(200);
    const bad = await arm(s, '/subscriptions', { apiVersion: 'latest' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error.code).toBe('InvalidApiVersionParameter');
  });

  it('answers the four 401 variants', async () => {
    let clock = NOW;
    const s = await sim({ now: () => clock });
    const code = async (r: Response) => {
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
      return ((await r.json()) as Json).error;
    };
    expect(await code(await arm(s, '/subscriptions', { token: null }))).toEqual({
      code: 'AuthenticationFailed',
      message: "Authentication failed. The 'Authorization' header is missing.",
    });
    expect((await code(await arm(s, '/subscriptions', { token: null, headers: { authorization: 'Token abc' } }))).code).toBe(
      'AuthenticationFailedInvalidHeader',
    );
    expect((await code(await arm(s, '/subscriptions', { token: 'forged' }))).code).toBe('InvalidAuthenticationToken');

    s.expireTokens();
    const expired = await code(await arm(s, '/subscriptions'));
    expect(expired.code).toBe('ExpiredAuthenticationToken');
    expect(expired.message).toMatch(
      /^The access token expiry UTC time '3\/4\/2025 11:59:59 AM' is earlier than current UTC time '3\/4\/2025 12:00:00 PM'\.$/,
    );

    // a token issued afterwards works until its expires_in has passed on the simulator clock
    const t = (await (
      await token(s, { client_id: s.clientId, client_secret: s.clientSecret, scope: ARM_SCOPE, grant_type: 'client_credentials' })
    ).json()) as Json;
    expect((await arm(s, '/subscriptions', { token: t.access_token })).status).toBe(200);
    clock += 3600_000;
    expect((await code(await arm(s, '/subscriptions', { token: t.access_token }))).code).toBe('ExpiredAuthenticationToken');
  });
});

describe('lists and nextLink', () => {
  it('pages subscriptions with absolute nextLinks, each item exactly once', async () => {
    const s = await sim({ subscriptions: 3, pageSize: 1 });
    const r = await arm(s, '/subscriptions');
    const first = (await r.json()) as Json;
    expect(first.value).toHaveLength(1);
    expect(first.value[0]).toMatchObject({ id: `/subscriptions/${s.data.subscriptions[0].subscriptionId}`, state: 'Enabled', tenantId: s.tenantId });
    const { items, links } = await walk(s, first);
    expect(items.map((x) => x.subscriptionId)).toEqual(s.data.subscriptions.map((x) => x.subscriptionId));
    expect(links).toHaveLength(2);
    for (const link of links) {
      const u = new URL(link);
      expect(u.origin).toBe(s.url);
      expect(u.searchParams.get('api-version')).toBe(V);
      expect(u.searchParams.get('$skipToken')).toBeTruthy();
    }
    expect(s.requests.map((x) => x.kind)).toEqual(['subscriptions', 'nextLink', 'nextLink']);
  });

  it('pages Bastion hosts per subscription and per resource group', async () => {
    const s = await sim({ hostsPerSubscription: 7, resourceGroupsPerSubscription: 3, pageSize: 2 });
    const sub = s.data.subscriptions[1].subscriptionId;
    const bySub = await walk(s, (await (await arm(s, `/subscriptions/${sub}/providers/Microsoft.Network/bastionHosts`)).json()) as Json);
    const expected = s.data.bastionHosts.filter((h) => h.id.includes(sub));
    expect(bySub.items).toEqual(expected);
    expect(bySub.links).toHaveLength(3);

    const rg = s.data.resourceGroups.find((x) => x.subscriptionId === sub)!.name;
    const byRg = await walk(
      s,
      (await (await arm(s, `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/bastionHosts`)).json()) as Json,
    );
    expect(byRg.items.map((h) => h.id)).toEqual(expected.filter((h) => h.id.split('/')[4] === rg).map((h) => h.id));
    expect(new Set(byRg.items.map((h) => h.id)).size).toBe(byRg.items.length);
  });

  it('answers SubscriptionNotFound and ResourceGroupNotFound', async () => {
    const s = await sim();
    const r1 = await arm(s, '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Network/bastionHosts');
    expect(r1.status).toBe(404);
    expect(((await r1.json()) as Json).error.code).toBe('SubscriptionNotFound');
    const sub = s.data.subscriptions[0].subscriptionId;
    const r2 = await arm(s, `/subscriptions/${sub}/resourceGroups/rg-nope/providers/Microsoft.Network/bastionHosts`);
    expect(r2.status).toBe(404);
    expect(await r2.json()).toEqual({ error: { code: 'ResourceGroupNotFound', message: "Resource group 'rg-nope' could not be found." } });
  });

  it('compares resource group and host names case-insensitively, returning stored casing', async () => {
    const s = await sim({ lro: 'none' });
    const sub = s.data.subscriptions[0].subscriptionId.toUpperCase();
    const list = (await (await arm(s, `/subscriptions/${sub}/RESOURCEGROUPS/RG-Core/providers/microsoft.network/BASTIONHOSTS`)).json()) as Json;
    expect(list.value.map((h: Json) => h.name)).toContain('bastion-core');
    const one = await arm(s, `/subscriptions/${sub}/resourceGroups/RG-CORE/providers/Microsoft.Network/bastionHosts/Bastion-Core`);
    expect(((await one.json()) as Json).id).toContain('/resourceGroups/rg-core/providers/Microsoft.Network/bastionHosts/bastion-core');
    const sessions = await arm(
      s,
      `/subscriptions/${sub}/resourceGroups/RG-CORE/providers/Microsoft.Network/bastionHosts/BASTION-CORE/getActiveSessions`,
      {
        method: 'POST',
      },
    );
    expect(sessions.status).toBe(200);
  });

  it('serves later pages from a snapshot and rejects foreign skip tokens', async () => {
    const s = await sim({ lro: 'none', sessionsPerHost: 7, pageSize: 3 });
    const h = s.data.bastionHosts[0];
    const first = (await (await arm(s, `${hostPath(h)}/getActiveSessions`, { method: 'POST' })).json()) as Json;
    const ids = sessionsOf(s, h).map((x) => x.sessionId);
    sessionsOf(s, h).splice(0, 2); // data changes between pages
    const { items } = await walk(s, first);
    expect(items.map((x) => x.sessionId)).toEqual(ids);
    const other = s.data.bastionHosts[1];
    const token = new URL(first.nextLink).searchParams.get('$skipToken')!;
    const r = await arm(s, `${hostPath(other)}/getActiveSessions?api-version=${V}&$skipToken=${token}`, { apiVersion: null });
    expect(r.status).toBe(400);
  });
});

describe('getActiveSessions', () => {
  it('answers 200 with page 1 and a nextLink for non-LRO hosts', async () => {
    const s = await sim({ lro: 'none', sessionsPerHost: 8, pageSize: 5 });
    const h = s.data.bastionHosts[0];
    const r = await arm(s, `${hostPath(h)}/getActiveSessions`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toMatch(/^\d+$/);
    const page = (await r.json()) as Json;
    expect(page.value).toHaveLength(5);
    expect(page.nextLink.startsWith(`${s.url}${h.id}/getActiveSessions?api-version=${V}&$skipToken=`)).toBe(true);
    const { items } = await walk(s, page);
    expect(items).toEqual(sessionsOf(s, h));
    expect(s.requests.map((x) => x.kind)).toEqual(['getActiveSessions', 'nextLink']);
  });

  it('answers 202 + Location for LRO hosts, then 202 per poll, then 200 page 1, then nextLink', async () => {
    const s = await sim({ lro: 'all', lroPolls: 2, retryAfterSeconds: 10, sessionsPerHost: 6, pageSize: 4 });
    const h = s.data.bastionHosts[0];
    const r = await arm(s, `${hostPath(h)}/getActiveSessions`, { method: 'POST' });
    expect(r.status).toBe(202);
    expect(await r.text()).toBe('');
    expect(r.headers.get('retry-after')).toBe('10');
    const location = r.headers.get('location')!;
    expect(location).toMatch(
      new RegExp(`^${s.url}${h.id}/getActiveSessions/operationResults/[0-9a-f-]{36}\\?api-version=${V}$`.replace(/\./g, '\\.')),
    );
    expect(r.headers.get('azure-asyncoperation')).toMatch(
      new RegExp(
        `^${s.url.replace(/\./g, '\\.')}/subscriptions/[0-9a-f-]+/providers/Microsoft\\.Network/locations/westeurope/operations/[0-9a-f-]{36}\\?api-version=`,
      ),
    );

    for (let i = 0; i < 2; i++) {
      const p = await arm(s, location);
      expect(p.status).toBe(202);
      expect(p.headers.get('location')).toBe(location);
      expect(p.headers.get('retry-after')).toBe('10');
    }
    const done = await arm(s, location);
    expect(done.status).toBe(200);
    const page = (await done.json()) as Json;
    expect(page.value).toHaveLength(4);
    const again = (await (await arm(s, location)).json()) as Json;
    expect(again).toEqual(page);
    const { items } = await walk(s, page);
    expect(items).toEqual(sessionsOf(s, h));
    expect(s.requests.map((x) => x.kind)).toEqual(['getActiveSessions', 'poll', 'poll', 'poll', 'poll', 'nextLink']);
  });

  it('counts polls per operation', async () => {
    const s = await sim({ lro: 'all', lroPolls: 1 });
    const [a, b] = s.data.bastionHosts;
    const la = (await arm(s, `${a.id}/getActiveSessions`, { method: 'POST' })).headers.get('location')!;
    const lb = (await arm(s, `${b.id}/getActiveSessions`, { method: 'POST' })).headers.get('location')!;
    expect(la).not.toBe(lb);
    expect((await arm(s, la)).status).toBe(202);
    expect((await arm(s, lb)).status).toBe(202);
    expect((await arm(s, la)).status).toBe(200);
    expect((await arm(s, lb)).status).toBe(200);
  });

  it('reports progress on Azure-AsyncOperation, which also advances the operation', async () => {
    const s = await sim({ lro: 'all', lroPolls: 1, sessionsPerHost: 2 });
    const h = s.data.bastionHosts[0];
    const r = await arm(s, `${hostPath(h)}/getActiveSessions`, { method: 'POST' });
    const status = r.headers.get('azure-asyncoperation')!;
    const s1 = await arm(s, status);
    expect(s1.status).toBe(200);
    const b1 = (await s1.json()) as Json;
    expect(b1).toMatchObject({ status: 'InProgress', startTime: new Date(NOW).toISOString() });
    expect(b1.id).toBe(new URL(status).pathname);
    expect(b1.name).toBe(b1.id.split('/').pop());
    expect(b1).not.toHaveProperty('endTime');
    const b2 = (await (await arm(s, status)).json()) as Json;
    expect(b2).toMatchObject({ status: 'Succeeded', endTime: expect.any(String) });
    const final = await arm(s, r.headers.get('location')!);
    expect(final.status).toBe(200);
    expect(((await final.json()) as Json).value).toEqual(sessionsOf(s, h));
  });

  it("omits Azure-AsyncOperation when asked to, and follows lro: 'half' and predicates", async () => {
    const s = await sim({ asyncOperationHeader: false });
    const statuses: number[] = [];
    for (const h of s.data.bastionHosts) {
      const r = await arm(s, `${h.id}/getActiveSessions`, { method: 'POST' });
      statuses.push(r.status);
      expect(r.headers.has('azure-asyncoperation')).toBe(false);
    }
    expect(statuses).toEqual([200, 202, 200, 202, 200, 202]);
    const p = await sim({ lro: (name) => name === 'bastion-core' });
    expect((await arm(p, `${p.data.bastionHosts[0].id}/getActiveSessions`, { method: 'POST' })).status).toBe(202);
    expect((await arm(p, `${p.data.bastionHosts[1].id}/getActiveSessions`, { method: 'POST' })).status).toBe(200);
  });

  it('answers 404 ResourceNotFound for an unknown host', async () => {
    const s = await sim();
    const sub = s.data.subscriptions[0].subscriptionId;
    const r = await arm(s, `/subscriptions/${sub}/resourceGroups/rg-core/providers/Microsoft.Network/bastionHosts/bas-nope/getActiveSessions`, {
      method: 'POST',
    });
    expect(r.status).toBe(404);
    const err = ((await r.json()) as Json).error;
    expect(err.code).toBe('ResourceNotFound');
    expect(err.message).toMatch(/^The Resource 'Microsoft\.Network\/bastionHosts\/bas-nope' under resource group 'rg-core' was not found\./);
  });
});

describe('disconnectActiveSessions', () => {
  it('disconnects known sessions and reports unknown ones', async () => {
    const s = await sim({ lro: 'none', sessionsPerHost: 4 });
    const h = s.data.bastionHosts[0];
    const victim = sessionsOf(s, h)[1].sessionId;
    const r = await arm(s, `${h.id}/disconnectActiveSessions`, { method: 'POST', body: { sessionIds: [victim, 'missing-id'] } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      value: [
        { sessionId: victim, message: `session ${victim} invalidated!`, state: 'Disconnected' },
        { sessionId: 'missing-id', message: 'session missing-id not found!', state: 'NotFound' },
      ],
    });
    expect(sessionsOf(s, h).map((x) => x.sessionId)).not.toContain(victim);
    const after = (await (await arm(s, `${h.id}/getActiveSessions`, { method: 'POST' })).json()) as Json;
    expect(after.value).toHaveLength(3);
    expect(s.requests[0].kind).toBe('disconnect');
  });

  it('answers 400 InvalidRequestContent to a missing or invalid body', async () => {
    const s = await sim();
    const h = s.data.bastionHosts[0];
    for (const body of [undefined, '{not json', { ids: [] }, ['a'], { sessionIds: [1] }]) {
      const r = await arm(s, `${h.id}/disconnectActiveSessions`, { method: 'POST', body });
      expect(r.status).toBe(400);
      expect(((await r.json()) as Json).error.code).toBe('InvalidRequestContent');
    }
  });
});

describe('throttling and rate-limit headers', () => {
  it('answers every Nth ARM request with 429 + Retry-After', async () => {
    const s = await sim({ throttle: { every: 3, retryAfterSeconds: 17 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await arm(s, '/subscriptions');
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get('retry-after')).toBe('17');
        expect(((await r.json()) as Json).error.code).toBe('TooManyRequests');
      } else await r.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it('sends reads on GETs and writes on POSTs', async () => {
    const s = await sim({ lro: 'none' });
    const h = s.data.bastionHosts[0];
    const sub = s.data.subscriptions[0].subscriptionId;
    const g1 = await arm(s, `/subscriptions/${sub}/providers/Microsoft.Network/bastionHosts`);
    const g2 = await arm(s, `/subscriptions/${sub}/providers/Microsoft.Network/bastionHosts`);
    const n1 = Number(g1.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
    expect(Number(g2.headers.get('x-ms-ratelimit-remaining-subscription-reads'))).toBe(n1 - 1);
    expect(g1.headers.has('x-ms-ratelimit-remaining-subscription-writes')).toBe(false);
    const p = await arm(s, `${h.id}/getActiveSessions`, { method: 'POST' });
    expect(p.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toMatch(/^\d+$/);
    expect(p.headers.has('x-ms-ratelimit-remaining-subscription-reads')).toBe(false);
  });
});

describe('faults', () => {
  it('injects a 403 AuthorizationFailed with the ARM message', async () => {
    const s = await sim({ lro: 'none' });
    const h = s.data.bastionHosts[0];
    s.injectFault({ path: '/getActiveSessions', status: 403 });
    const r = await arm(s, `${h.id}/getActiveSessions`, { method: 'POST' });
    expect(r.status).toBe(403);
    const err = ((await r.json()) as Json).error;
    expect(err.code).toBe('AuthorizationFailed');
    expect(err.message).toContain(
      `does not have authorization to perform action 'Microsoft.Network/bastionHosts/getActiveSessions/action' over scope '${h.id}'`,
    );
    expect(err.message).toMatch(/^The client '[^']+' with object id '[0-9a-f-]{36}'/);
    expect(s.requests[0]).toMatchObject({ kind: 'getActiveSessions', status: 403 });
  });

  it('honours after, times, method, code, message, Retry-After and RegExp paths', async () => {
    const s = await sim();
    s.injectFault({
      path: /^\/subscriptions$/,
      method: 'GET',
      status: 503,
      after: 1,
      times: 2,
      retryAfterSeconds: 3,
      code: 'Busy',
      message: 'try later',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await arm(s, '/subscriptions');
      statuses.push(r.status);
      if (r.status === 503) {
        expect(r.headers.get('retry-after')).toBe('3');
        expect(await r.json()).toEqual({ error: { code: 'Busy', message: 'try later' } });
      } else await r.arrayBuffer();
    }
    expect(statuses).toEqual([200, 503, 503, 200, 200]);
  });

  it('sends malformed or raw bodies, and delays', async () => {
    const s = await sim({ lro: 'none' });
    const h = s.data.bastionHosts[0];
    s.injectFault({ path: 'getActiveSessions', status: 200, body: 'malformed', times: 1 });
    const bad = await arm(s, `${h.id}/getActiveSessions`, { method: 'POST' });
    expect(bad.status).toBe(200);
    await expect(bad.json()).rejects.toThrow();
    s.injectFault({ path: '/subscriptions', status: 500, times: 1 });
    const err = await arm(s, '/subscriptions');
    expect(err.status).toBe(500);
    expect(((await err.json()) as Json).error.code).toBe('InternalServerError');
    s.injectFault({ path: '/subscriptions', status: 502, body: '<html>bad gateway</html>', times: 1 });
    const raw = await arm(s, '/subscriptions');
    expect(raw.status).toBe(502);
    expect(await raw.text()).toBe('<html>bad gateway</html>');
    s.injectFault({ path: '/subscriptions', status: 200, delayMs: 30, times: 1 });
    const t0 = performance.now();
    const slow = await arm(s, '/subscriptions');
    expect(slow.status).toBe(200);
    expect(((await slow.json()) as Json).value).toHaveLength(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('can fail the token endpoint', async () => {
    const s = await sim();
    s.injectFault({ path: '/oauth2/v2.0/token', status: 503, times: 1 });
    const form = { client_id: s.clientId, client_secret: s.clientSecret, scope: ARM_SCOPE, grant_type: 'client_credentials' };
    expect((await token(s, form)).status).toBe(503);
    expect((await token(s, form)).status).toBe(200);
  });
});

describe('determinism and bookkeeping', () => {
  it('gives the same data and operation ids for the same seed', async () => {
    const a = await sim({ seed: 42, lro: 'all' });
    const b = await sim({ seed: 42, lro: 'all' });
    const c = await sim({ seed: 43 });
    expect(b.data.subscriptions).toEqual(a.data.subscriptions);
    expect(b.data.bastionHosts).toEqual(a.data.bastionHosts);
    expect([...b.data.sessions]).toEqual([...a.data.sessions]);
    expect(c.data.subscriptions[0].subscriptionId).not.toBe(a.data.subscriptions[0].subscriptionId);
    const opId = async (s: AzureSimulator) =>
      new URL((await arm(s, `${s.data.bastionHosts[0].id}/getActiveSessions`, { method: 'POST' })).headers.get('location')!).pathname
        .split('/')
        .pop();
    expect(await opId(a)).toBe(await opId(b));
  });

  it('logs requests with kind, status and the simulator clock; resetLog clears in place', async () => {
    const s = await sim();
    const log = s.requests;
    await (await arm(s, '/subscriptions?x=1')).arrayBuffer();
    expect(log).toEqual([
      { method: 'GET', path: '/subscriptions', query: { x: '1', 'api-version': V }, status: 200, at: NOW, kind: 'subscriptions' },
    ]);
    s.resetLog();
    expect(s.requests).toHaveLength(0);
    expect(s.requests).toBe(log);
  });

  it('adds latency', async () => {
    const s = await sim({ latencyMs: 20 });
    const t0 = performance.now();
    await (await arm(s, '/subscriptions')).arrayBuffer();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
  });
});
