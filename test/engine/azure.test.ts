// SQL-level tests of the Azure provider against the ARM simulator: rows, and the exact calls
// (one POST plus polls and nextLink GETs per host; listings for fan-out).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAzureSimulator, hostArmId } from '../../src/simulator/azure/index.js';
import type { AzureSimulator, BastionHost } from '../../src/simulator/azure/types.js';
import { renderTemplate } from '../../src/sql/template.js';
import { azEngine, failureOf, queryOnce } from '../helpers/engines.js';

const SUB = 'f5b243e1-4ad9-4de9-b117-bc0f0168473b';
// seed 002 (stackql's page), verbatim, as shipped in examples/
const SEED_002 = readFileSync(new URL('../../examples/bastion-sessions.sql', import.meta.url), 'utf8');

let sim: AzureSimulator;
beforeAll(async () => {
  // page size 3 so every list and session result spans several nextLink pages
  sim = await startAzureSimulator({ seed: 7, pageSize: 3, lro: 'half', lroPolls: 2, retryAfterSeconds: 0 });
});
afterAll(async () => sim.close());
beforeEach(() => sim.resetLog());

function sessionsOf(host: BastionHost) {
  return sim.data.sessions.get(host.id.toLowerCase()) ?? [];
}
function host(name: string, sub = SUB): BastionHost {
  const h = sim.data.bastionHosts.find((b) => b.name === name && b.id.includes(sub));
  if (!h) throw new Error(`no host ${name}`);
  return h;
}
const kinds = () => sim.requests.map((r) => r.kind).filter((k) => k !== 'token');
const count = (kind: string) => sim.requests.filter((r) => r.kind === kind).length;

const run = (sql: string, opts: Parameters<typeof azEngine>[1] = {}) => queryOnce(azEngine(sim, opts), sql);
const failure = (sql: string, opts: Parameters<typeof azEngine>[1] = {}) => failureOf(() => run(sql, opts));

describe('the stackql seed query, as written', () => {
  it('returns the host’s sessions with one POST and its nextLink pages', async () => {
    const sql = renderTemplate(SEED_002, { resourceGroupName: 'rg-core', bastionHostName: 'bastion-core', subscriptionId: SUB });
    const r = await run(sql);
    const expected = sessionsOf(host('bastion-core'));
    expect(expected.length).toBeGreaterThan(3);
    expect(r.columns).toEqual([
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
    ]);
    expect(r.rows.map((x) => x[3]).sort()).toEqual(expected.map((s) => s.sessionId).sort());
    expect(count('getActiveSessions')).toBe(1);
    expect(count('nextLink')).toBe(Math.ceil(expected.length / 3) - 1);
  });

  it('polls a host that answers 202 and reads its pages', async () => {
    const lroHost = sim.data.bastionHosts[1];
    const rg = /resourceGroups\/([^/]+)/.exec(lroHost.id)![1];
    const sub = /subscriptions\/([^/]+)/.exec(lroHost.id)![1];
    const sql = renderTemplate(SEED_002, { resourceGroupName: rg, bastionHostName: lroHost.name, subscriptionId: sub });
    const r = await run(sql);
    expect(r.rows).toHaveLength(sessionsOf(lroHost).length);
    expect(count('getActiveSessions')).toBe(1);
    expect(count('poll')).toBeGreaterThanOrEqual(2);
    expect(r.stats.polls).toBeGreaterThanOrEqual(2);
  });

  it('accepts snake_case parameters and any case of ARM names', async () => {
    const r = await run(
      `SELECT count(*) FROM azure.network.active_sessions WHERE subscription_id = '${SUB}' AND resource_group_name = 'RG-CORE' AND bastion_host_name = 'Bastion-Core'`,
    );
    expect(r.rows[0][0]).toBe(sessionsOf(host('bastion-core')).length);
  });

  it('normalises startTime to ISO-8601 UTC, including the spec’s sloppy form', async () => {
    const r = await run(`SELECT startTime FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}'`);
    expect(r.rows.length).toBeGreaterThan(0);
    for (const [t] of r.rows) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('fan-out when hosts are not named', () => {
  it('with only subscriptionId: lists the hosts, then one POST per host', async () => {
    const r = await run(
      `SELECT bastionHostName, resourceGroupName, count(*) AS n FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const hosts = sim.data.bastionHosts.filter((h) => h.id.includes(SUB));
    const expected = hosts
      .map((h) => [h.name, /resourceGroups\/([^/]+)/.exec(h.id)![1], sessionsOf(h).length] as const)
      .filter(([, , n]) => n > 0)
      .sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    expect(r.rows).toEqual(expected);
    expect(count('getActiveSessions')).toBe(hosts.length);
    expect(count('subscriptions')).toBe(0);
  });

  it('with a resource group: lists only that group’s hosts', async () => {
    await run(`SELECT count(*) FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-core'`);
    const inRg = sim.data.bastionHosts.filter((h) => h.id.toLowerCase().includes(`/subscriptions/${SUB}/resourcegroups/rg-core/`));
    expect(count('getActiveSessions')).toBe(inRg.length);
    expect(sim.requests.some((q) => q.kind === 'bastionHosts' && /resourceGroups\/rg-core\//i.test(q.path))).toBe(true);
  });

  it('with no subscription at all: lists subscriptions, then hosts, then sessions', async () => {
    const r = await run(`SELECT count(*) FROM azure.network.active_sessions`);
    const total = sim.data.bastionHosts.reduce((n, h) => n + sessionsOf(h).length, 0);
    expect(r.rows[0][0]).toBe(total);
    expect(count('subscriptions')).toBeGreaterThanOrEqual(1);
    expect(count('getActiveSessions')).toBe(sim.data.bastionHosts.length);
    expect(kinds().indexOf('subscriptions')).toBeLessThan(kinds().indexOf('bastionHosts'));
  });

  it('a bound resource group that only some subscriptions have: the others contribute no rows', async () => {
    const r = await run(
      `SELECT subscriptionId, bastionHostName, count(*) FROM azure.network.active_sessions WHERE resourceGroupName = 'rg-core' AND bastionHostName = 'bastion-core' GROUP BY 1, 2`,
    );
    expect(r.rows).toEqual([[SUB, 'bastion-core', sessionsOf(host('bastion-core')).length]]);
    expect(sim.requests.some((q) => q.status === 404)).toBe(true);
    // issue 9 #4: each combination that does not exist is reported once
    const missing = r.warnings.filter((w) => w.includes('ResourceGroupNotFound'));
    expect(missing.length).toBeGreaterThan(0);
    expect(new Set(missing).size).toBe(missing.length);
  });

  it('a 404 with a non-API body (an HTML page from a proxy) on every host is an error, not [] (issue 9 #4)', async () => {
    const s2 = await startAzureSimulator({ seed: 7, retryAfterSeconds: 0 });
    try {
      s2.injectFault({ path: 'getActiveSessions', status: 404, body: '<html><body>404 Not Found</body></html>' });
      const e = await failureOf(() => queryOnce(azEngine(s2), `SELECT count(*) FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}'`));
      expect(e.code).toBe('NOT_FOUND');
      expect(e.message).toContain('not the API');
    } finally {
      await s2.close();
    }
  });

  it('uses AZURE_SUBSCRIPTION_ID as the default subscription', async () => {
    await run(`SELECT count(*) FROM azure.network.active_sessions`, { env: { AZURE_SUBSCRIPTION_ID: SUB } });
    expect(count('subscriptions')).toBe(0);
    expect(count('getActiveSessions')).toBe(sim.data.bastionHosts.filter((h) => h.id.includes(SUB)).length);
  });

  it('IN on bastionHostName fans out over the listed hosts of those names only', async () => {
    const r = await run(
      `SELECT bastionHostName, count(*) FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}' AND bastionHostName IN ('bastion-core', 'bas-weu-01') GROUP BY 1 ORDER BY 1`,
    );
    expect(r.rows).toEqual([
      ['bas-weu-01', sessionsOf(host('bas-weu-01')).length],
      ['bastion-core', sessionsOf(host('bastion-core')).length],
    ]);
    expect(count('getActiveSessions')).toBe(2);
  });

  it('EXPLAIN shows the listing and the per-host call without any request', async () => {
    const engine = azEngine(sim);
    const plan = engine.explain(`SELECT * FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}'`);
    engine.close();
    const text = plan.rows.map((r) => r.join(' | ')).join('\n');
    expect(text).toContain('GET /subscriptions/' + SUB + '/providers/Microsoft.Network/bastionHosts');
    expect(text).toContain('once per row of azure.network.bastion_hosts');
    expect(sim.requests).toHaveLength(0);
  });
});

describe('ARM errors', () => {
  it('a missing host names the host and resource group', async () => {
    const e = await failure(
      `SELECT * FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-core' AND bastionHostName = 'nope'`,
    );
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('nope');
    expect(e.message).toContain('rg-core');
  });

  it('403 AuthorizationFailed keeps the missing permission', async () => {
    sim.injectFault({ path: 'getActiveSessions', status: 403, code: 'AuthorizationFailed', times: 1 });
    const e = await failure(
      `SELECT * FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}' AND resourceGroupName = 'rg-core' AND bastionHostName = 'bastion-core'`,
    );
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toContain('getActiveSessions/action');
  });

  it('a failing host fails the statement; with partial results it becomes a warning', async () => {
    const bad = host('bastion-core');
    sim.injectFault({ path: `${bad.id}/getActiveSessions`, status: 403, code: 'AuthorizationFailed', times: 2 });
    const e = await failure(`SELECT count(*) FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}'`);
    expect(e.code).toBe('FORBIDDEN');
    const r = await run(`SELECT count(*) FROM azure.network.active_sessions WHERE subscriptionId = '${SUB}'`, { partial: true });
    const others = sim.data.bastionHosts.filter((h) => h.id.includes(SUB) && h !== bad).reduce((n, h) => n + sessionsOf(h).length, 0);
    expect(r.rows[0][0]).toBe(others);
    expect(r.failedCalls).toBe(1);
    expect(r.warnings.join('\n')).toContain('bastion-core');
  });

  it('an expired static token fails with a hint, without printing the token', async () => {
    const s2 = await startAzureSimulator({ seed: 7 });
    try {
      s2.expireTokens();
      const e = await failure(`SELECT count(*) FROM azure.resources.subscriptions`, {
        config: { azure: { resourceManagerUrl: s2.url, accessToken: s2.token } },
      });
      expect(e.code).toBe('AUTH_FAILED');
      expect(`${e.message} ${e.hint}`).toMatch(/expired|ExpiredAuthenticationToken/i);
      expect(`${e.message} ${e.hint}`).not.toContain(s2.token);
    } finally {
      await s2.close();
    }
  });

  it('429 with Retry-After is retried', async () => {
    const s2 = await startAzureSimulator({ seed: 7, throttle: { every: 3, retryAfterSeconds: 0 } });
    try {
      const r = await run(`SELECT count(*) FROM azure.resources.subscriptions`, {
        config: { azure: { resourceManagerUrl: s2.url, accessToken: s2.token } },
      });
      expect(r.rows[0][0]).toBe(s2.data.subscriptions.length);
    } finally {
      await s2.close();
    }
  });
});

describe('EXEC disconnect (a write)', () => {
  const exec = (ids: string[]) =>
    `EXEC azure.network.active_sessions.disconnect @subscriptionId='${SUB}', @resourceGroupName='rg-core', @bastionHostName='bas-weu-01', @sessionIds='${JSON.stringify(ids)}'`;

  it('is refused without --allow-writes, before any request', async () => {
    const e = await failure(exec(['x']));
    expect(e.code).toBe('WRITE_NOT_ALLOWED');
    expect(e.hint).toContain('--allow-writes');
    expect(sim.requests).toHaveLength(0);
  });

  it('disconnects and prints the per-session result', async () => {
    const target = sessionsOf(host('bas-weu-01'))[0].sessionId;
    const r = await run(exec([target, 'no-such-session']), { allowWrites: true });
    expect(r.columns).toEqual(['sessionId', 'state', 'message']);
    expect(r.rows.map((x) => [x[0], x[1]])).toEqual([
      [target, 'Disconnected'],
      ['no-such-session', 'NotFound'],
    ]);
    expect(count('disconnect')).toBe(1);
  });
});

describe('bastion hosts and subscriptions', () => {
  it('flattens properties and parses the resource group from the id', async () => {
    const r = await run(
      `SELECT name, resourceGroupName, dnsName, sku, scaleUnits FROM azure.network.bastion_hosts WHERE subscriptionId = '${SUB}' AND name = 'bastion-core'`,
    );
    const h = host('bastion-core');
    expect(r.rows).toEqual([[h.name, 'rg-core', h.properties.dnsName, h.sku.name, h.properties.scaleUnits]]);
    expect(hostArmId).toBeTypeOf('function');
  });

  it('lists subscriptions through nextLink pages', async () => {
    const r = await run(`SELECT subscriptionId, displayName FROM azure.resources.subscriptions ORDER BY displayName`);
    expect(r.rows.map((x) => x[0]).sort()).toEqual(sim.data.subscriptions.map((s) => s.subscriptionId).sort());
  });
});
