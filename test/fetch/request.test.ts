import { describe, expect, it } from 'vitest';
import { schemas } from '../../src/manifest/schema.js';
import { collect, makeCall, makeClient, rejectionOf, startServer } from './helpers.js';

const p = (x: Record<string, unknown>) => schemas().ParameterSpec.parse(x);

describe('request building', async () => {
  const server = await startServer();

  it('fills path parameters (encoded), provider config values, query and booleans', async () => {
    server.handle((_q, res) => res.end('[]'));
    const { client } = makeClient(server, { config: { tenant: 'my tenant' } });
    await collect(
      client,
      makeCall({
        request: { method: 'GET', path: '/t/{tenant}/hosts/{hostName}/sessions', query: { 'api-version': '2025-07-01', size: 100 } },
        parameters: {
          hostName: p({ in: 'path' }),
          onlyNew: p({ in: 'query', wireName: 'returnOnlyNew', type: 'boolean' }),
          status: p({ in: 'query' }),
          unused: p({ in: 'query' }),
        },
        params: { hostName: 'a/b c', onlyNew: false, status: 'ACTIVE' },
      }),
    );
    const seen = server.seen.at(-1)!;
    expect(seen.url.split('?')[0]).toBe('/t/my%20tenant/hosts/a%2Fb%20c/sessions');
    expect(seen.query).toEqual({ 'api-version': '2025-07-01', size: '100', returnOnlyNew: 'false', status: 'ACTIVE' });
    expect(seen.headers.accept).toBe('application/json');
  });

  it('expands {configKey} in static query values (api-version from config)', async () => {
    const { client } = makeClient(server, { config: { apiVersion: '2025-07-01' } });
    await collect(client, makeCall({ request: { method: 'GET', path: '/x', query: { 'api-version': '{apiVersion}', other: 'a{b' } } }));
    expect(server.seen.at(-1)!.query).toEqual({ 'api-version': '2025-07-01', other: 'a{b' });
  });

  it('matches a path placeholder by wireName', async () => {
    const { client } = makeClient(server);
    await collect(
      client,
      makeCall({
        request: { method: 'GET', path: '/subs/{subscriptionId}', query: {} },
        parameters: { subscription_id: p({ in: 'path', wireName: 'subscriptionId' }) },
        params: { subscription_id: 'sub-1' },
      }),
    );
    expect(server.seen.at(-1)!.path).toBe('/subs/sub-1');
  });

  it('sends body parameters merged into the static body as JSON', async () => {
    const { client } = makeClient(server);
    await collect(
      client,
      makeCall({
        request: { method: 'POST', path: '/act', query: {}, body: { static: 1 } },
        parameters: { ids: p({ in: 'body', wireName: 'sessionIds', type: 'json' }), note: p({ in: 'body' }) },
        params: { ids: '["a","b"]', note: 'x' },
      }),
    );
    const seen = server.seen.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(JSON.parse(seen.body)).toEqual({ static: 1, sessionIds: ['a', 'b'], note: 'x' });
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('sends a POST without a body when there is none (content-length 0, no content-type)', async () => {
    const { client } = makeClient(server);
    await collect(client, makeCall({ request: { method: 'POST', path: '/getActiveSessions', query: { 'api-version': 'v' } } }));
    const seen = server.seen.at(-1)!;
    expect(seen.body).toBe('');
    expect(seen.headers['content-type']).toBeUndefined();
    expect(seen.headers['content-length'] ?? '0').toBe('0');
    expect(seen.headers['transfer-encoding']).toBeUndefined();
  });

  it('refuses an unresolvable placeholder before any request', async () => {
    const before = server.seen.length;
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall({ request: { method: 'GET', path: '/x/{nowhere}', query: {} } })));
    expect(err.code).toBe('MISSING_TEMPLATE_VARIABLE');
    expect(err.message).toContain('{nowhere}');
    const err2 = await rejectionOf(
      collect(client, makeCall({ request: { method: 'GET', path: '/x/{h}', query: {} }, parameters: { h: p({ in: 'path' }) } })),
    );
    expect(err2.code).toBe('MISSING_PARAMETER');
    expect(server.seen.length).toBe(before);
  });
});
