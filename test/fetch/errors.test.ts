import { describe, expect, it } from 'vitest';
import { extractApiError } from '../../src/fetch/index.js';
import { collect, json, makeCall, makeClient, rejectionOf, startServer } from './helpers.js';

describe('extractApiError', () => {
  it.each([
    [
      'ARM CloudError',
      { error: { code: 'ResourceGroupNotFound', message: "Resource group 'rg' could not be found." } },
      { code: 'ResourceGroupNotFound', message: "Resource group 'rg' could not be found." },
    ],
    [
      'CloudConnexa ErrorResponse',
      { errorMessage: 'Validation failed', statusError: 'BAD_REQUEST', errorDetails: { size: [{ errorCode: 'Max', message: 'must be <= 100' }] } },
      { code: 'BAD_REQUEST', message: 'Validation failed (size: must be <= 100)' },
    ],
    [
      'CloudConnexa without statusError',
      { errorMessage: 'Oops', errorDetails: { startDate: [{ errorCode: 'TooOld', message: 'max 30 days' }] } },
      { code: 'TooOld', message: 'Oops (startDate: max 30 days)' },
    ],
    [
      'OAuth',
      { error: 'invalid_client', error_description: 'Bad client credentials' },
      { code: 'invalid_client', message: 'Bad client credentials' },
    ],
    [
      'Spring default',
      { timestamp: 't', status: 400, error: 'Bad Request', message: 'size is required', path: '/x' },
      { code: 'Bad Request', message: 'size is required' },
    ],
    ['plain message', { message: 'nope', code: 'E1' }, { code: 'E1', message: 'nope' }],
    ['array', [1], {}],
  ])('%s', (_n, body, want) => {
    expect(extractApiError(JSON.stringify(body))).toEqual(want);
  });

  it.each([
    ['', {}],
    ['<html><body>502</body></html>', {}],
    ['upstream timed out', { message: 'upstream timed out' }],
  ])('non-JSON body %j', (body, want) => expect(extractApiError(body)).toEqual(want));
});

describe('HTTP status mapping', async () => {
  const server = await startServer();

  it.each([
    [
      400,
      { error: { code: 'InvalidParameter', message: 'bad size' } },
      'API_ERROR',
      /GET \/items was rejected by the API \(400 Bad Request\): InvalidParameter: bad size/,
      'InvalidParameter',
    ],
    [401, { errorMessage: 'Unauthorized' }, 'AUTH_FAILED', /did not accept the credentials \(401 Unauthorized\)/, undefined],
    [403, { error: { code: 'Forbidden', message: 'no' } }, 'FORBIDDEN', /not permitted \(403 Forbidden\): Forbidden: no/, 'Forbidden'],
    [
      404,
      { error: { code: 'ResourceNotFound', message: 'The Resource was not found.' } },
      'NOT_FOUND',
      /GET \/items found nothing \(404 Not Found\): ResourceNotFound: The Resource was not found/,
      'ResourceNotFound',
    ],
    [409, { message: 'conflict' }, 'API_ERROR', /409/, undefined],
  ])('%i → %s', async (status, body, code, message, apiCode) => {
    server.handle((_q, res) => json(res, status, body));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/^testprov\.svc\.items: /);
    expect(err.details).toEqual(apiCode ? { status, apiCode } : { status });
  });

  it('403 AuthorizationFailed quotes the missing action in the hint', async () => {
    const message =
      "The client 'u@x' with object id 'abc' does not have authorization to perform action 'Microsoft.Network/bastionHosts/getActiveSessions/action' over scope '/subscriptions/s' or the scope is invalid.";
    server.handle((_q, res) => json(res, 403, { error: { code: 'AuthorizationFailed', message } }));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.hint).toContain("'Microsoft.Network/bastionHosts/getActiveSessions/action'");
  });

  it('shows non-secret query parameters but never secret ones', async () => {
    server.handle((_q, res) => json(res, 404, {}));
    const { client } = makeClient(server);
    const err = await rejectionOf(
      collect(
        client,
        makeCall({ request: { method: 'GET', path: '/items', query: { 'api-version': 'v1', access_token: 'zzz-secret', sig: 'qqq' } } }),
      ),
    );
    expect(err.message).toContain('/items?api-version=v1');
    expect(err.message).not.toContain('zzz-secret');
    expect(err.message).not.toContain('qqq');
  });

  it.each([
    [
      'a non-JSON body',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
      },
      /cannot read: the body is not JSON \(content-type text\/html\)/,
    ],
    [
      'an empty body',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(200);
        res.end();
      },
      /cannot read: the 200 response has an empty body/,
    ],
    [
      'a missing rows field',
      (res: import('node:http').ServerResponse) => json(res, 200, { other: [] }),
      /expected an array of rows at "value", found nothing/,
    ],
    [
      'a rows field that is not an array',
      (res: import('node:http').ServerResponse) => json(res, 200, { value: { a: 1 } }),
      /expected an array of rows at "value", found object/,
    ],
  ])('%s is MALFORMED_RESPONSE', async (_n, reply, message) => {
    server.handle((_q, res) => reply(res));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall({ rows: 'value' })));
    expect(err.code).toBe('MALFORMED_RESPONSE');
    expect(err.message).toMatch(/returned a response sessql cannot read/);
    expect(err.message).toMatch(message);
  });

  it('a body that is not an array at $ is MALFORMED_RESPONSE', async () => {
    server.handle((_q, res) => json(res, 200, { value: [] }));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('MALFORMED_RESPONSE');
    expect(err.message).toMatch(/at the body, found object/);
  });

  it('a 204 is an empty page', async () => {
    server.handle((_q, res) => {
      res.writeHead(204);
      res.end();
    });
    const { client } = makeClient(server);
    const { rows, stats } = await collect(client, makeCall({ rows: 'value' }));
    expect(rows).toEqual([]);
    expect(stats.pages).toBe(1);
  });

  it('an error thrown by onPage propagates as is (SessqlError) or as INTERNAL', async () => {
    server.handle((_q, res) => json(res, 200, [1]));
    const { client } = makeClient(server);
    const err = await rejectionOf(
      client.fetchPages(makeCall(), () => {
        throw new TypeError('bug');
      }),
    );
    expect(err.code).toBe('INTERNAL');
  });
});

describe('long API messages', async () => {
  const server = await startServer();
  it('a megabyte-long error message is cut to a readable line', async () => {
    server.handle((_q, res) => json(res, 400, { error: { code: 'Bad', message: 'x'.repeat(1_000_000) } }));
    const { client } = makeClient(server);
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.message.length).toBeLessThan(700);
    expect(err.message).toMatch(/x…$/);
  });
});

describe('response size limit (issue 9 #6)', async () => {
  const server = await startServer();

  it('a body over the limit is RESPONSE_TOO_LARGE, read no further and not retried', async () => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // 4 MiB in 64 KiB chunks, without a content-length
      const chunk = `[${'1,'.repeat(32 * 1024 - 1)}1]`.slice(0, 64 * 1024);
      for (let i = 0; i < 64; i++) res.write(chunk);
      res.end();
    });
    const { client } = makeClient(server, { maxResponseBytes: 256 * 1024 });
    const before = server.seen.length;
    const err = await rejectionOf(collect(client, makeCall()));
    expect(err.code).toBe('RESPONSE_TOO_LARGE');
    expect(err.message).toContain('larger than 262144 bytes');
    expect(err.hint).toContain('--max-response-size');
    expect(server.seen.length - before).toBe(1);
  });

  it('a body under the limit is read', async () => {
    server.handle((_q, res) => json(res, 200, [1, 2, 3]));
    const { client } = makeClient(server, { maxResponseBytes: 1024 });
    expect((await collect(client, makeCall())).rows).toEqual([1, 2, 3]);
  });
});
