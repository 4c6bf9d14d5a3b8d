// Secrets (client secrets, tokens, Basic credentials) never appear in errors, hints, details or events.
import { describe, expect, it } from 'vitest';
import type { FetchEvent } from '../../src/fetch/index.js';
import { collect, json, makeCall, makeClient, printable, rejectionOf, startServer } from './helpers.js';
import type http from 'node:http';

const SECRET = 'very-secret-7f3a9c';
const TOKEN = 'access-token-b41d22e';
const BASIC = Buffer.from(`cid:${SECRET}`).toString('base64');
const SECRETS = [SECRET, TOKEN, BASIC];

type Reply = (q: { path: string }, res: http.ServerResponse, url: string) => void;
/** Token endpoint echoing the secrets back in errors, as a hostile or careless API might. */
const echo = `client ${SECRET} token ${TOKEN} basic ${BASIC}`;

describe('no secret leaks', async () => {
  const server = await startServer();

  it.each<[string, Reply, 'basic' | 'query']>([
    ['token endpoint 401 echoing the secret', (_q, res) => json(res, 401, { error: 'invalid_client', error_description: echo }), 'basic'],
    ['token endpoint 500 echoing the secret', (_q, res) => json(res, 500, { message: echo }), 'query'],
    [
      'token endpoint non-JSON',
      (_q, res) => {
        res.writeHead(200);
        res.end(echo);
      },
      'basic',
    ],
    [
      'API 400 echoing the token',
      (q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : json(res, 400, { errorMessage: echo })),
      'query',
    ],
    [
      'API 401 twice',
      (q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : json(res, 401, { error: { code: 'X', message: echo } })),
      'basic',
    ],
    ['API 403', (q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : json(res, 403, { message: echo })), 'basic'],
    ['API 404', (q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : json(res, 404, { message: echo })), 'query'],
    [
      'API 429 exhausted',
      (q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : json(res, 429, { message: echo }, { 'retry-after': '1' })),
      'basic',
    ],
    ['API garbage', (q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : res.end(echo)), 'query'],
    [
      'next link to a foreign host carrying the token',
      (q, res) =>
        q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : json(res, 200, { value: [], nextLink: `https://x.example/?t=${TOKEN}` }),
      'basic',
    ],
    ['dropped connection', (q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : res.socket?.destroy()), 'query'],
  ])('%s', async (_n, reply, credentialsIn) => {
    server.handle((q, res) => reply(q, res, server.url));
    const events: FetchEvent[] = [];
    const { client } = makeClient(server, {
      specExtra: {
        auth: {
          kind: 'oauth2-client-credentials',
          tokenPath: '/token',
          clientIdConfig: 'clientId',
          clientSecretConfig: 'clientSecret',
          credentialsIn,
        },
      },
      config: { clientId: 'cid', clientSecret: SECRET },
      onEvent: (e) => events.push(e),
    });
    const err = await rejectionOf(collect(client, makeCall({ rows: 'value', pagination: { kind: 'nextLink', field: 'nextLink' } })));
    const text = printable(err) + JSON.stringify(events);
    // The token is a secret once issued; in the token-endpoint cases it is just text the client never saw.
    const known = client.totals.tokenRequests > 0 && !_n.startsWith('token endpoint') ? SECRETS : [SECRET, BASIC];
    for (const s of known) expect(text).not.toContain(s);
  });

  it('the client id and secret in a query-mode token URL are not in request events', async () => {
    server.handle((q, res) => (q.path === '/token' ? json(res, 200, { access_token: TOKEN }) : json(res, 200, { value: [] })));
    const events: FetchEvent[] = [];
    const { client } = makeClient(server, {
      specExtra: {
        auth: {
          kind: 'oauth2-client-credentials',
          tokenPath: '/token',
          clientIdConfig: 'clientId',
          clientSecretConfig: 'clientSecret',
          credentialsIn: 'query',
        },
      },
      config: { clientId: 'cid-visible?', clientSecret: SECRET },
      onEvent: (e) => events.push(e),
    });
    await collect(client, makeCall({ rows: 'value' }));
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain('client_id');
  });
});

describe('scrub first, cut after (issue 9 #2)', async () => {
  const server = await startServer();
  const token = 'tok-0123456789abcdefghijklmnopqrstuvwxyz'; // 40 characters
  /** Every run of 6 characters of the secret: none may be printed. */
  const pieces = (s: string) => Array.from({ length: s.length - 5 }, (_, i) => s.slice(i, i + 6));

  it('a plain-text error body with a secret at every offset around the 300-character cut', async () => {
    for (let offset = 250; offset <= 310; offset++) {
      const body = `${'x'.repeat(offset)}${token}${'y'.repeat(100)}`;
      server.handle((_q, res) => {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(body);
      });
      const { client } = makeClient(server, { specExtra: { auth: { kind: 'bearer', tokenConfig: 'token' } }, config: { token } });
      const text = printable(await rejectionOf(collect(client, makeCall())));
      for (const p of pieces(token)) expect(text, `offset ${offset}`).not.toContain(p);
    }
  });

  it('a plain-text token-endpoint refusal with the client secret around the cut', async () => {
    const secret = 'sec-0123456789abcdefghijklmnopqrstuvwxyz';
    for (let offset = 260; offset <= 300; offset += 3) {
      server.handle((_q, res) => {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end(`${'x'.repeat(offset)}${secret}`);
      });
      const { client } = makeClient(server, {
        specExtra: {
          auth: {
            kind: 'oauth2-client-credentials',
            tokenPath: '/token',
            clientIdConfig: 'clientId',
            clientSecretConfig: 'clientSecret',
            credentialsIn: 'query',
          },
        },
        config: { clientId: 'cid', clientSecret: secret },
      });
      const text = printable(await rejectionOf(collect(client, makeCall())));
      for (const p of pieces(secret)) expect(text, `offset ${offset}`).not.toContain(p);
    }
  });
});
