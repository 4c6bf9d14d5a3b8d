// Manifests are checked whole when loaded: schema, cross-references and every variant, with an
// INVALID_MANIFEST error that names the file and the path of the problem.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinManifestFiles, loadManifestFile } from '../../src/manifest/catalog.js';
import { SessqlError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'sessql-manifest-'));

function base(): Record<string, any> {
  return {
    name: 'acme',
    title: 'Acme',
    description: 'Acme sessions.',
    baseUrlConfig: 'baseUrl',
    config: {
      baseUrl: { description: 'URL', default: 'https://acme.example' },
      token: { description: 'token', secret: true },
      api: { description: 'api', default: 'v1' },
    },
    auth: { kind: 'bearer', tokenConfig: 'token' },
    services: {
      gw: {
        description: 'Gateway.',
        resources: {
          hosts: { description: 'Hosts.', request: { path: '/hosts' }, key: ['id'], columns: [{ name: 'id', type: 'string' }] },
          sessions: {
            description: 'Sessions.',
            request: { path: '/hosts/{hostId}/sessions' },
            alternatives: [{ whenBound: ['state'], request: { path: '/sessions' } }],
            key: ['id'],
            windowSplit: { startParam: 'since', endParam: 'until' },
            parameters: {
              hostId: { in: 'path', required: true, enumerate: { resource: 'acme.gw.hosts', columns: { hostId: 'id' } } },
              state: { in: 'query' },
              since: { in: 'query', type: 'datetime' },
              until: { in: 'query', type: 'datetime' },
              filter: { in: 'query', filter: { format: 'expression', columns: { status: { eq: 'status == {value}' } } } },
            },
            variants: [{ when: { api: 'v2' }, set: { request: { path: '/v2/sessions' } } }],
            columns: [
              { name: 'id', type: 'string' },
              { name: 'status', type: 'string' },
            ],
          },
        },
      },
    },
  };
}

function load(m: Record<string, any>, name: string): SessqlError | undefined {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(m));
  try {
    loadManifestFile(file);
    return undefined;
  } catch (e) {
    if (e instanceof SessqlError) return e;
    throw e;
  }
}

const sessions = (m: Record<string, any>) => m.services.gw.resources.sessions;

describe('manifest checks', () => {
  it('accepts the base manifest and every built-in one', () => {
    expect(load(base(), 'ok')).toBeUndefined();
    for (const f of builtinManifestFiles()) expect(() => loadManifestFile(f)).not.toThrow();
  });

  it.each<[string, (m: Record<string, any>) => void, string]>([
    ['a schema error', (m) => (sessions(m).pagination = { kind: 'sideways' }), 'services.gw.resources.sessions.pagination.kind'],
    ['an auth setting that does not exist', (m) => (m.auth.tokenConfig = 'apiKey'), "auth.tokenConfig: names unknown setting 'apiKey'"],
    ['a key column that does not exist', (m) => (sessions(m).key = ['sid']), "services.gw.resources.sessions.key.0: names unknown column 'sid'"],
    [
      'alternatives.whenBound naming no parameter',
      (m) => (sessions(m).alternatives[0].whenBound = ['status']),
      "services.gw.resources.sessions.alternatives.0.whenBound.0: names unknown parameter 'status'",
    ],
    [
      'windowSplit naming no parameter',
      (m) => (sessions(m).windowSplit.endParam = 'to'),
      "services.gw.resources.sessions.windowSplit.endParam: names unknown parameter 'to'",
    ],
    [
      'windowSplit on a non-datetime parameter',
      (m) => (sessions(m).windowSplit.startParam = 'state'),
      "windowSplit.startParam: parameter 'state' must have type datetime",
    ],
    [
      'enumerate.resource that does not exist',
      (m) => (sessions(m).parameters.hostId.enumerate.resource = 'acme.gw.nodes'),
      "parameters.hostId.enumerate.resource: names unknown resource 'acme.gw.nodes'",
    ],
    [
      'enumerate.resource that is not p.s.r',
      (m) => (sessions(m).parameters.hostId.enumerate.resource = 'hosts'),
      "'hosts' is not provider.service.resource",
    ],
    [
      'enumerate columns the listing lacks',
      (m) => (sessions(m).parameters.hostId.enumerate.columns = { hostId: 'hostname' }),
      "'acme.gw.hosts' has no column 'hostname'",
    ],
    [
      'a filter on an unknown column',
      (m) => (sessions(m).parameters.filter.filter.columns = { state2: { eq: 'x' } }),
      "parameters.filter.filter.columns.state2: names unknown column 'state2'",
    ],
    [
      'a variant that breaks the resource',
      (m) => (sessions(m).variants[0].set = { pagination: { kind: 'page' } }),
      'services.gw.resources.sessions.variants.0.set: the resource with this variant applied is invalid: pagination.size',
    ],
    [
      'a variant whose result has a dangling reference',
      (m) => (sessions(m).variants[0].set = { key: ['nope'] }),
      "services.gw.resources.sessions.variants.0.set.key.0: names unknown column 'nope'",
    ],
    [
      'an epochUnit on a column that is not a datetime',
      (m) => (sessions(m).columns[1] = { name: 'status', type: 'integer', epochUnit: 'seconds' }),
      "columns.1.epochUnit: applies to datetime columns only, not to 'status' (integer)",
    ],
    [
      'a createdField naming an unknown column',
      (m) => (sessions(m).windowSplit.createdField = 'created'),
      "windowSplit.createdField: names unknown column 'created'",
    ],
    [
      'a variant on an unknown setting',
      (m) => (sessions(m).variants[0].when = { apiVersion: 'v2' }),
      "variants.0.when.apiVersion: names unknown setting 'apiVersion'",
    ],
  ])('refuses %s, naming the file and the path', (name, mutate, expected) => {
    const m = base();
    mutate(m);
    const e = load(m, name.replace(/\W+/g, '-'));
    expect(e?.code).toBe('INVALID_MANIFEST');
    expect(e?.message).toContain(join(dir, `${name.replace(/\W+/g, '-')}.json`));
    expect(e?.message).toContain(expected);
  });
});
