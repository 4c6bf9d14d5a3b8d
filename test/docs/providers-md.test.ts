// docs/providers.md stays true: its complete example manifest validates, documents itself, and
// runs against a small local server making exactly the request the page says it makes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs, packageRoot } from '../../scripts/gen-docs.js';
import { createEngine } from '../../src/engine/engine.js';
import { Catalog, loadManifestFile } from '../../src/manifest/catalog.js';

const page = readFileSync(join(packageRoot(), 'docs/providers.md'), 'utf8');
const exampleYaml = /## A complete example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(page)?.[1];

describe('docs/providers.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sessql-providers-md-'));
  const file = join(dir, 'acme.yaml');
  const requests: { url: string; auth?: string }[] = [];
  let server: Server;
  let baseUrl = '';

  beforeAll(async () => {
    writeFileSync(file, exampleYaml ?? '');
    server = createServer((req: IncomingMessage, res) => {
      requests.push({ url: req.url ?? '', auth: req.headers.authorization });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const second = url.searchParams.get('after') === 'c2';
      const items = second
        ? [{ id: 's3', user: { login: 'carol' }, state: 'open', startedAt: '2026-01-15T08:00:00Z', bytes: 3, tags: {} }]
        : [
            { id: 's1', user: { login: 'alice' }, state: 'open', startedAt: '2026-01-09T08:00:00Z', bytes: 1, tags: {} },
            { id: 's2', user: { login: 'bob' }, state: 'open', startedAt: '2026-01-12T08:00:00Z', bytes: 2, tags: { team: 'x' } },
          ];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(second ? { items } : { items, next: 'c2' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a complete example manifest that validates', () => {
    expect(exampleYaml).toBeDefined();
    const loaded = loadManifestFile(file);
    expect(loaded.spec.name).toBe('acme');
  });

  it('documents the example provider like the built-in ones', () => {
    const catalog = Catalog.load([file]);
    const docs = generateDocs(catalog);
    const sessions = docs.get('acme/gateway/sessions.md')!;
    expect(sessions).toContain('| **Id** | `acme.gateway.sessions` |');
    expect(sessions).toContain('History window: 14 days (`P14D`). Acme keeps 14 days of history.');
    expect(docs.get('README.md')).toContain('[sessions](acme/gateway/sessions.md)');
  });

  it('makes the request the page describes, and its example runs', async () => {
    const engine = createEngine({
      manifests: [file],
      env: {},
      now: () => Date.parse('2026-01-20T00:00:00Z'),
      config: { acme: { baseUrl, token: 'tok-123' } },
      cache: false,
    });
    try {
      const r = await engine.query("SELECT user FROM acme.gateway.sessions WHERE state = 'open' AND startedAt >= '2026-01-10' ORDER BY user");
      expect(r.rows).toEqual([['bob'], ['carol']]);
      expect(requests.map((q) => q.url)).toEqual([
        '/v2/sessions?limit=200&state=open&since=2026-01-10T00%3A00%3A00Z',
        '/v2/sessions?limit=200&state=open&since=2026-01-10T00%3A00%3A00Z&after=c2',
      ]);
      expect(requests.every((q) => q.auth === 'Bearer tok-123')).toBe(true);
      const catalog = Catalog.load([file]);
      for (const ex of catalog.find('acme.gateway.sessions')!.spec.examples) {
        const res = await engine.query(ex.sql);
        expect(res.rows.length).toBeGreaterThan(0);
      }
    } finally {
      engine.close();
    }
  });
});
