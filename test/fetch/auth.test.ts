import { describe, expect, it } from 'vitest';
import type { AzureTokenCredential } from '../../src/fetch/index.js';
import { collect, json, makeCall, makeClient, printable, rejectionOf, startServer, type Seen } from './helpers.js';
import type http from 'node:http';

const SECRET = 'S3cr3t-Value-xyz';
const ID = 'prefix-client-id';
const BASIC = Buffer.from(`${ID}:${SECRET}`).toString('base64');
const oauth = (credentialsIn: 'basic' | 'query' = 'basic') => ({
  auth: {
    kind: 'oauth2-client-credentials',
    tokenPath: '/api/v1/oauth/token',
    clientIdConfig: 'clientId',
    clientSecretConfig: 'clientSecret',
    credentialsIn,
  },
});
const creds = { clientId: ID, clientSecret: SECRET };

/** Token endpoint issuing tok-1, tok-2…; the API accepts only tokens in `valid`. */
function oauthServer(state: { issued: number; valid: Set<string>; expiresIn?: number }) {
  return (q: Seen, res: http.ServerResponse) => {
    if (q.path === '/api/v1/oauth/token') {
      const token = `tok-${++state.issued}`;
      state.valid.add(token);
      return json(res, 200, { access_token: token, token_type: 'bearer', expires_in: state.expiresIn ?? 43199, scope: 'read write' });
    }
    const token = String(q.headers.authorization ?? '').replace('Bearer ', '');
    if (!state.valid.has(token)) return json(res, 401, { errorMessage: 'invalid token' });
    json(res, 200, [{ id: 1 }]);
  };
}

describe('oauth2-client-credentials', async () => {
  const server = await startServer();

  it('sends Basic credentials with the JSON body the official Go client sends, and caches the token', async () => {
    const state = { issued: 0, valid: new Set<string>() };
    server.handle(oauthServer(state));
    const { client } = makeClient(server, { specExtra: oauth(), config: creds });
    await collect(client, makeCall());
    await collect(client, makeCall());
    const tokenReqs = server.seen.filter((s) => s.path === '/api/v1/oauth/token');
    expect(tokenReqs).toHaveLength(1);
    const t = tokenReqs[0];
    expect(t.method).toBe('POST');
    expect(t.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(t.headers.accept).toBe('application/json');
    expect(JSON.parse(t.body)).toEqual({ grant_type: 'client_credentials', scope: 'default' });
    expect(t.query).toEqual({});
    expect(server.seen.at(-1)!.headers.authorization).toBe('Bearer tok-1');
    expect(client.totals.tokenRequests).toBe(1);
    expect(client.totals.requests).toBe(2);
  });

  it('sends credentials in the query string when credentialsIn is query, and never shows them', async () => {
    const state = { issued: 0, valid: new Set<string>() };
    server.handle(oauthServer(state));
    const { client, events } = makeClient(server, { specExtra: oauth('query'), config: creds });
    await collect(client, makeCall());
    const t = server.seen.find((s) => s.path === '/api/v1/oauth/token' && s.query.client_secret)!;
    expect(t.query).toEqual({ client_id: ID, client_secret: SECRET, grant_type: 'client_credentials' });
    expect(t.headers.authorization).toBeUndefined();
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain(ID);
    expect(events).toContainEqual({
      kind: 'request',
      resourceId: 'testprov.svc.items',
      method: 'POST',
      path: '/api/v1/oauth/token?grant_type=client_credentials',
    });
  });

  it('shares one in-flight token request between concurrent calls', async () => {
    const state = { issued: 0, valid: new Set<string>() };
    server.handle(oauthServer(state));
    const { client } = makeClient(server, { specExtra: oauth(), config: creds });
    await Promise.all(Array.from({ length: 6 }, () => collect(client, makeCall())));
    expect(state.issued).toBe(1);
    expect(client.totals.tokenRequests).toBe(1);
  });

  it('fetches a new token shortly before expires_in', async () => {
    const state = { issued: 0, valid: new Set<string>(), expiresIn: 3600 };
    server.handle(oauthServer(state));
    const { client, clock } = makeClient(server, { specExtra: oauth(), config: creds });
    await collect(client, makeCall());
    clock.t += 3600_000 - 61_000; // still more than the 60 s margin left
    await collect(client, makeCall());
    expect(state.issued).toBe(1);
    clock.t += 2_000; // inside the margin
    await collect(client, makeCall());
    expect(state.issued).toBe(2);
  });

  it('on a 401 drops the token, fetches a new one once and retries the request once', async () => {
    const state = { issued: 0, valid: new Set<string>() };
    server.handle(oauthServer(state));
    const { client } = makeClient(server, { specExtra: oauth(), config: creds });
    await collect(client, makeCall());
    state.valid.clear(); // server revokes tok-1
    const { rows, stats } = await collect(client, makeCall());
    expect(rows).toEqual([{ id: 1 }]);
    expect(state.issued).toBe(2);
    expect(stats.tokenRequests).toBe(1);
    expect(stats.requests).toBe(2);
  });

  it('a second 401 is AUTH_FAILED naming the credential variables, without secrets', async () => {
    let issued = 0;
    server.handle((q, res) =>
      q.path === '/api/v1/oauth/token'
        ? json(res, 200, { access_token: `tok-${++issued}-${SECRET}` })
        : json(res, 401, { errorMessage: 'token rejected' }),
    );
    const { client } = makeClient(server, { specExtra: oauth(), config: creds });
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toContain('token rejected');
    expect(err.hint).toContain('TEST_CLIENT_ID');
    expect(err.hint).toContain('TEST_CLIENT_SECRET');
    expect(issued).toBe(2);
    expect(printable(err)).not.toContain(SECRET);
    expect(printable(err)).not.toContain('tok-');
  });

  it.each([400, 401, 403])('token endpoint %i is AUTH_FAILED "rejected the client credentials"', async (status) => {
    server.handle((q, res) => json(res, status, { error: 'invalid_client', error_description: `bad client ${ID} / ${SECRET}` }));
    const { client } = makeClient(server, { specExtra: oauth(), config: creds });
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/rejected the client credentials/);
    expect(err.hint).toMatch(/TEST_CLIENT_ID and TEST_CLIENT_SECRET/);
    expect(err.hint).toMatch(/API access is enabled/);
    expect(err.details).toMatchObject({ status, apiCode: 'invalid_client' });
    expect(printable(err)).not.toContain(SECRET);
    expect(printable(err)).not.toContain(BASIC);
  });

  it('a token response without access_token is MALFORMED_RESPONSE', async () => {
    server.handle((q, res) => json(res, 200, { token_type: 'bearer' }));
    const { client } = makeClient(server, { specExtra: oauth(), config: creds });
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('MALFORMED_RESPONSE');
    expect(err.message).toMatch(/cannot read: the token response has no access_token/);
  });

  it.each([
    [{}, /TEST_CLIENT_ID, TEST_CLIENT_SECRET are not set/],
    [{ clientId: ID }, /TEST_CLIENT_SECRET is not set/],
    [{ clientSecret: SECRET }, /TEST_CLIENT_ID is not set/],
  ])('missing credentials %j → MISSING_CREDENTIALS before any request', (config, message) => {
    const { client } = makeClient('http://127.0.0.1:1', { specExtra: oauth(), config });
    try {
      client.checkConfig();
      expect.unreachable();
    } catch (e) {
      const err = e as import('../../src/errors.js').SessqlError;
      expect(err.code).toBe('MISSING_CREDENTIALS');
      expect(err.kind).toBe('user');
      expect(err.message).toMatch(message);
      expect(printable(err)).not.toContain(SECRET);
    }
  });

  it('a missing base URL is MISSING_CREDENTIALS naming its variable', () => {
    const { client } = makeClient('', { specExtra: oauth(), config: creds });
    expect(() => client.checkConfig()).toThrow(/TEST_BASE_URL is not set/);
  });
});

describe('bearer', async () => {
  const server = await startServer();
  const spec = { auth: { kind: 'bearer', tokenConfig: 'token' } };

  it('sends the static token', async () => {
    server.handle((_q, res) => json(res, 200, []));
    const { client } = makeClient(server, { specExtra: spec, config: { token: 'static-tok-123' } });
    await collect(client, makeCall());
    expect(server.seen.at(-1)!.headers.authorization).toBe('Bearer static-tok-123');
  });

  it('a 401 is AUTH_FAILED at once (no refresh possible), naming the variable', async () => {
    server.handle((_q, res) => json(res, 401, { message: 'bad token static-tok-123' }));
    const { client } = makeClient(server, { specExtra: spec, config: { token: 'static-tok-123' } });
    const before = server.seen.length;
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.hint).toContain('TEST_TOKEN');
    expect(server.seen.length - before).toBe(1);
    expect(printable(err)).not.toContain('static-tok-123');
  });

  it('a missing token is MISSING_CREDENTIALS', () => {
    const { client } = makeClient(server, { specExtra: spec });
    expect(() => client.checkConfig()).toThrow(/TEST_TOKEN is not set/);
  });
});

describe('none', async () => {
  it('sends no Authorization header', async () => {
    const server = await startServer((_q, res) => json(res, 200, []));
    const { client } = makeClient(server);
    await collect(client, makeCall());
    expect(server.seen[0].headers.authorization).toBeUndefined();
  });
});

describe('azure', async () => {
  const server = await startServer();
  const spec = { auth: { kind: 'azure-credential', tokenConfig: 'token', scope: 'https://mgmt.example/.default' } };

  function fakeCredential(opts: { fail?: Error; lifetimeMs?: number; now: () => number }) {
    const calls: string[] = [];
    const credential: AzureTokenCredential = {
      async getToken(scope) {
        calls.push(scope);
        if (opts.fail) throw opts.fail;
        return { token: `aad-${calls.length}`, expiresOnTimestamp: opts.now() + (opts.lifetimeMs ?? 3600_000) };
      },
    };
    return { credential, calls };
  }

  /** ARM-like: accepts tokens in `valid`, else 401 with the given code. */
  function armServer(valid: Set<string>, code = 'ExpiredAuthenticationToken') {
    server.handle((q, res) => {
      const token = String(q.headers.authorization ?? '').replace('Bearer ', '');
      if (valid.has(token)) return json(res, 200, { value: [{ sessionId: 's1' }] });
      json(res, 401, { error: { code, message: `The access token is invalid.` } });
    });
  }

  it('uses the configured token when set, without the credential chain', async () => {
    armServer(new Set(['cfg-token']));
    const { client } = makeClient(server, {
      specExtra: spec,
      config: { token: 'cfg-token' },
      credentials: { 'azure-credential': { getToken: () => Promise.reject(new Error('must not be called')) } },
    });
    const { rows } = await collect(client, makeCall({ rows: 'value' }));
    expect(rows).toHaveLength(1);
    expect(server.seen.at(-1)!.headers.authorization).toBe('Bearer cfg-token');
  });

  it('a 401 with the configured token is AUTH_FAILED with a hint to get a new one', async () => {
    armServer(new Set());
    const { client } = makeClient(server, { specExtra: spec, config: { token: 'cfg-token-zzz' } });
    const err = await rejectionOf(collect(client, makeCall({ rows: 'value' })));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.details).toMatchObject({ status: 401, apiCode: 'ExpiredAuthenticationToken' });
    expect(err.hint).toContain('TEST_TOKEN');
    expect(err.hint).toContain('get-access-token');
    expect(printable(err)).not.toContain('cfg-token-zzz');
  });

  it('gets a token from the credential chain for the scope, caches it until shortly before expiry', async () => {
    const valid = new Set(['aad-1', 'aad-2']);
    armServer(valid);
    const clockRef = { now: () => 0 };
    const fake = fakeCredential({ now: () => clockRef.now() });
    const { client, clock } = makeClient(server, { specExtra: spec, credentials: { 'azure-credential': fake.credential } });
    clockRef.now = clock.now;
    await collect(client, makeCall({ rows: 'value' }));
    await collect(client, makeCall({ rows: 'value' }));
    expect(fake.calls).toEqual(['https://mgmt.example/.default']);
    clock.t += 3600_000 - 30_000;
    await collect(client, makeCall({ rows: 'value' }));
    expect(fake.calls).toHaveLength(2);
    expect(client.totals.tokenRequests).toBe(2);
  });

  it('refetches once after a 401 ExpiredAuthenticationToken, then AUTH_FAILED', async () => {
    const valid = new Set(['aad-2']);
    armServer(valid);
    const clockRef = { now: () => 0 };
    const fake = fakeCredential({ now: () => clockRef.now() });
    const { client, clock } = makeClient(server, { specExtra: spec, credentials: { 'azure-credential': fake.credential } });
    clockRef.now = clock.now;
    const { rows } = await collect(client, makeCall({ rows: 'value' }));
    expect(rows).toHaveLength(1);
    expect(fake.calls).toHaveLength(2);
    valid.clear();
    const err = await rejectionOf(collect(client, makeCall({ rows: 'value' })));
    expect(err.code).toBe('AUTH_FAILED');
    expect(fake.calls).toHaveLength(3);
  });

  it('does not refetch after a 401 with another code', async () => {
    armServer(new Set(), 'AuthenticationFailed');
    const fake = fakeCredential({ now: () => 0 });
    const { client } = makeClient(server, { specExtra: spec, credentials: { 'azure-credential': fake.credential } });
    const err = await rejectionOf(collect(client, makeCall({ rows: 'value' })));
    expect(err.code).toBe('AUTH_FAILED');
    expect(fake.calls).toHaveLength(1);
  });

  it('a credential chain failure is MISSING_CREDENTIALS with a hint', async () => {
    armServer(new Set());
    const fake = fakeCredential({ fail: new Error('CredentialUnavailableError: no credential worked\nmore'), now: () => 0 });
    const { client } = makeClient(server, { specExtra: spec, credentials: { 'azure-credential': fake.credential } });
    const before = server.seen.length;
    const err = await rejectionOf(collect(client, makeCall({ rows: 'value' })));
    expect(err.code).toBe('MISSING_CREDENTIALS');
    expect(err.message).toContain('TEST_TOKEN is not set');
    expect(err.hint).toMatch(/TEST_TOKEN.*get-access-token.*az login/s);
    expect(server.seen.length).toBe(before);
  });
});
