// `providers:` as a list in sessql.config.yaml: manifest files (relative to the config file) are
// loaded like --provider-file, and mapping items configure providers as the mapping form does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withConfigFile } from '../../src/config/index.js';
import { createEngine } from '../../src/engine/engine.js';

const manifest = `
name: acme
title: Acme
description: Acme sessions.
baseUrlConfig: baseUrl
config:
  baseUrl: { description: base URL, env: ACME_BASE_URL }
auth: { kind: none }
services:
  gateway:
    description: The gateway.
    resources:
      sessions:
        description: Sessions.
        request: { path: /v2/sessions }
        columns: [{ name: id, type: string }]
`;

describe('providers: list in the config file', () => {
  it('loads the listed manifests and their settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessql-cfg-'));
    writeFileSync(join(dir, 'acme.yaml'), manifest);
    writeFileSync(
      join(dir, 'sessql.config.yaml'),
      'providers:\n  - ./acme.yaml\n  - acme: { baseUrl: "https://acme.example" }\n  - cloudconnexa: { concurrency: 2 }\n',
    );
    const options = withConfigFile({ env: {} }, {}, dir, {});
    expect(options.manifests).toEqual([join(dir, 'acme.yaml')]);
    expect(options.config?.acme).toEqual({ baseUrl: 'https://acme.example' });
    const engine = createEngine(options);
    try {
      const r = await engine.query('SHOW RESOURCES IN acme.gateway');
      expect(r.rows.map((x) => x[0])).toEqual(['sessions']);
      expect(
        engine
          .explain('SELECT id FROM acme.gateway.sessions')
          .rows.some((x) => String(x[2]).includes('https://acme.example') || String(x[2]).includes('/v2/sessions')),
      ).toBe(true);
    } finally {
      engine.close();
    }
  });

  it('refuses an item that is neither a path nor a mapping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessql-cfg-'));
    writeFileSync(join(dir, 'sessql.config.yaml'), 'providers:\n  - 42\n');
    expect(() => withConfigFile({ env: {} }, {}, dir, {})).toThrow(/providers\.0 must be a manifest file path/);
  });
});
