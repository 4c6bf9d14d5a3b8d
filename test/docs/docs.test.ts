// The generated provider docs: docs/providers/** must equal what scripts/gen-docs.ts makes from the
// manifests (no stale or extra page), and every manifest example (plus each EXEC example) must run
// against the simulators with its template variables filled from the demo data.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_DIR, execExample, generateDocs, listMarkdown, packageRoot, resourcePath } from '../../scripts/gen-docs.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { Catalog } from '../../src/manifest/catalog.js';
import { startDemo, type Demo } from '../../src/simulator/demo.js';
import { renderTemplate, templateNames } from '../../src/sql/template.js';

const catalog = Catalog.load();
const pages = generateDocs(catalog);
const docsDir = join(packageRoot(), DOCS_DIR);
const STALE = 'docs are stale: run npm run docs';

/** The SELECT of stackql's azure.network.active_sessions page (shared/seeds/002), verbatim, as
 * shipped in examples/ (without that file's own leading comment lines). */
const SEED_002_SELECT = readFileSync(join(packageRoot(), 'examples', 'bastion-sessions.sql'), 'utf8')
  .split('\n')
  .filter((line, i, all) => !(line.startsWith('--') && all.slice(0, i).every((l) => l.startsWith('--'))))
  .join('\n')
  .trim();

describe('generated docs', () => {
  it.each([...pages.keys()])('%s is up to date', (rel) => {
    const file = join(docsDir, rel);
    expect(existsSync(file), `${STALE} (${DOCS_DIR}/${rel} is missing)`).toBe(true);
    expect(readFileSync(file, 'utf8'), `${STALE} (${DOCS_DIR}/${rel} differs)`).toBe(pages.get(rel));
  });

  it('has no page that the manifests no longer produce', () => {
    const extra = listMarkdown(docsDir).filter((rel) => !pages.has(rel));
    expect(extra, `${STALE} (extra pages: ${extra.join(', ')})`).toEqual([]);
  });

  it('is deterministic and every page ends with one newline', () => {
    const again = generateDocs(Catalog.load());
    expect([...again.entries()]).toEqual([...pages.entries()]);
    for (const [rel, text] of pages) {
      expect(text.endsWith('\n') && !text.endsWith('\n\n'), rel).toBe(true);
    }
  });

  it('has one page per resource, and the index links every one', () => {
    const index = pages.get('README.md')!;
    for (const id of catalog.resourceIds()) {
      const [p, s, r] = id.split('.');
      const rel = resourcePath(p, s, r);
      expect(pages.has(rel), id).toBe(true);
      expect(index).toContain(`](${rel})`);
      const page = pages.get(rel)!;
      expect(page.startsWith(`# ${r}\n`)).toBe(true);
      for (const heading of ['## Overview', '## Fields', '## Methods', '## Parameters', '## How sessql calls the API', '## `SELECT` examples']) {
        expect(page, `${id}: ${heading}`).toContain(heading);
      }
      expect(page).toContain(`| **Id** | \`${id}\` |`);
      const res = catalog.find(id)!;
      for (const c of res.spec.columns) expect(page, `${id}: column ${c.name}`).toContain(`| \`${c.name}\` | \`${c.type}\` |`);
      for (const ex of res.spec.examples) expect(page, `${id}: example ${ex.title}`).toContain(ex.sql.trimEnd());
    }
  });

  it("shows stackql's active_sessions SELECT as written on the azure page", () => {
    expect(pages.get('azure/network/active_sessions.md')).toContain(`\`\`\`sql\n${SEED_002_SELECT}\n\`\`\``);
  });

  it('words parameter requirements as DESCRIBE does', () => {
    const page = pages.get('cloudconnexa/vpn/connectors.md')!;
    expect(page).toContain(
      '| `kind` | `string` | path | optional (unbound: every value) | `NETWORK` (sent as `networks`), `HOST` (sent as `hosts`) |',
    );
    const sessions = pages.get('cloudconnexa/vpn/sessions.md')!;
    expect(sessions).toMatch(/\| `startDate` \| `datetime` \| query \| optional \|  \| `now - 1d` \|/);
    expect(sessions).toContain('History window: 30 days (`P30D`)');
    expect(sessions).toContain('With the setting `sessionsApi` = `beta`: history window 7 days (`P7D`).');
    expect(sessions).toContain('`sessionStartTime >= X`');
  });
});

/** Every example of every resource, in catalog order. */
const examples = catalog.resourceIds().flatMap((id) => catalog.find(id)!.spec.examples.map((ex) => ({ id, title: ex.title, sql: ex.sql })));

/**
 * Examples whose result the demo data guarantees to be non-empty: the simulators always hold
 * active CloudConnexa sessions in the last day and >= 3 sessions on rg-core/bastion-core.
 */
const MUST_RETURN_ROWS = new Set([
  'cloudconnexa.vpn.sessions: All sessions of the last day (Terraform data source "all")',
  'cloudconnexa.vpn.sessions: Active sessions only',
  'cloudconnexa.vpn.sessions: How many sessions are active',
  'cloudconnexa.vpn.sessions: The distinct users with an active session',
  'cloudconnexa.vpn.regions: Active sessions per country',
  'cloudconnexa.vpn.users: Users who are online now',
  'cloudconnexa.vpn.devices: Devices by operating system',
  'cloudconnexa.vpn.hosts: All hosts',
  'cloudconnexa.vpn.networks: Networks and how many connectors each has',
  "azure.network.active_sessions: Active sessions on one Bastion host (stackql's query, as written)",
  'azure.network.active_sessions: Every active Bastion session in a subscription, longest first',
  'azure.network.bastion_hosts: Bastion hosts of a subscription',
  'azure.resources.subscriptions: Enabled subscriptions',
]);

describe('manifest examples run against the simulators', () => {
  let demo: Demo;
  let engine: Engine;
  const vars: Record<string, string> = {};

  beforeAll(async () => {
    demo = await startDemo();
    engine = createEngine({ config: demo.config, env: {}, allowWrites: true, fetch: { retryWaitCapMs: 20, lroPollCapMs: 20 } });
    // a Bastion host that exists in the demo data (the simulator's fixed rg-core/bastion-core)
    const hosts = await engine.query(
      "SELECT subscriptionId, resourceGroupName, name FROM azure.network.bastion_hosts WHERE name = 'bastion-core' ORDER BY subscriptionId",
    );
    const core = hosts.rows.find((r) => String(r[1]).toLowerCase() === 'rg-core');
    expect(core, 'the demo has rg-core/bastion-core').toBeDefined();
    const [subscriptionId, resourceGroupName, bastionHostName] = core!.map(String);
    Object.assign(vars, { subscriptionId, resourceGroupName, bastionHostName });
    // a CloudConnexa window inside the 30-day history: the last two days
    const now = Date.now();
    vars.startDate = new Date(now - 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    vars.endDate = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  });

  afterAll(async () => {
    engine?.close();
    await demo?.close();
  });

  it('covers every example with a rows expectation that names a real example', () => {
    const names = new Set(examples.map((e) => `${e.id}: ${e.title}`));
    for (const n of MUST_RETURN_ROWS) expect(names.has(n), n).toBe(true);
  });

  it.each(examples)('$id: $title', async ({ id, title, sql }) => {
    const rendered = renderTemplate(sql, vars);
    const result = await engine.query(rendered);
    expect(result.columns.length).toBeGreaterThan(0);
    if (MUST_RETURN_ROWS.has(`${id}: ${title}`)) expect(result.rows.length, rendered).toBeGreaterThan(0);
  });

  // runs after the SELECT examples: disconnecting changes the demo's active sessions
  it.each(catalog.resourceIds().flatMap((id) => Object.entries(catalog.find(id)!.spec.methods).map(([method, m]) => ({ id, method, m }))))(
    'EXEC example $id $method',
    async ({ id, method, m }) => {
      const sql = execExample(id, method, m);
      expect(pages.get(resourcePath(...(id.split('.') as [string, string, string])))).toContain(sql);
      const active = await engine.query(
        renderTemplate(
          "SELECT sessionId FROM azure.network.active_sessions WHERE subscriptionId = '{{ subscriptionId }}' AND resourceGroupName = '{{ resourceGroupName }}' AND bastionHostName = '{{ bastionHostName }}' ORDER BY sessionId LIMIT 1",
          vars,
        ),
      );
      const execVars = { ...vars, sessionIds: JSON.stringify(active.rows.map((r) => r[0])) };
      expect(
        templateNames(sql).every((n) => execVars[n as keyof typeof execVars] !== undefined),
        `${sql}: unknown template variable`,
      ).toBe(true);
      const result = await engine.query(renderTemplate(sql, execVars));
      expect(result.columns).toEqual(m.columns.map((c) => c.name));
      expect(result.rows.length).toBeGreaterThan(0);
    },
  );
});
