// Generic capabilities a manifest selects by name: page tokens placed in query/header/body, the
// list-token-until-complete kind, and error envelopes (AWS `__type`, `{kind, message}`).
import { describe, expect, it } from 'vitest';
import { createPager } from '../../src/fetch/paginate/index.js';
import { errorPolicy } from '../../src/fetch/envelopes.js';
import { extractRows } from '../../src/fetch/response.js';
import type { ApiRequest } from '../../src/fetch/sender.js';
import { SessqlError } from '../../src/errors.js';

const ctx = { resourceId: 'p.s.r', method: 'POST', url: 'https://api.example/' };
const req: ApiRequest = { method: 'POST', url: 'https://api.example/list?a=1', body: '{"State":"Active","Filters":[{"key":"k","value":"v"}]}' };

describe('pagination kind token', () => {
  it.each([
    ['body', (r: ApiRequest) => JSON.parse(r.body!).NextToken],
    ['header', (r: ApiRequest) => r.headers?.nexttoken],
    ['query', (r: ApiRequest) => new URL(r.url).searchParams.get('NextToken')],
  ] as const)('puts the token in the %s and repeats the rest of the request', (where, read) => {
    const pager = createPager({ kind: 'token', field: 'NextToken', param: 'NextToken', in: where }, 'https://api.example');
    const next = pager.next({ NextToken: 't1', Sessions: [] }, [], pager.first(req), ctx)!;
    expect(read(next)).toBe('t1');
    if (where === 'body') expect(JSON.parse(next.body!).Filters).toEqual([{ key: 'k', value: 'v' }]);
  });

  it('continues after an empty page that carries a token, and ends without one', () => {
    const pager = createPager({ kind: 'token', field: 'NextToken', param: 'NextToken', in: 'body' }, 'https://api.example');
    expect(pager.next({ Sessions: [], NextToken: 'x' }, [], req, ctx)).toBeDefined();
    expect(pager.next({ Sessions: [] }, [], req, ctx)).toBeUndefined();
  });

  it('a repeated token is a loop', () => {
    const pager = createPager({ kind: 'token', field: 'NextToken', param: 'NextToken', in: 'body' }, 'https://api.example');
    pager.next({ NextToken: 'same' }, [], req, ctx);
    expect(() => pager.next({ NextToken: 'same' }, [], req, ctx)).toThrow(/already returned/);
  });
});

describe('pagination kind listToken', () => {
  const spec = {
    kind: 'listToken',
    field: 'list_token',
    param: 'list_token',
    in: 'query',
    doneField: 'response_type',
    doneValue: 'complete',
  } as const;

  it('sends the token back while the listing is a delta, keeping the filter', () => {
    const pager = createPager(spec, 'https://api.example');
    const first: ApiRequest = { method: 'GET', url: 'https://api.example/v1/sessions?filter=%22x%22' };
    const next = pager.next({ response_type: 'delta', list_token: 'lt1' }, [], first, ctx)!;
    const url = new URL(next.url);
    expect(url.searchParams.get('list_token')).toBe('lt1');
    expect(url.searchParams.get('filter')).toBe('"x"');
  });

  it('stops at complete (never sending the start-refresh token) and at an absent response_type', () => {
    const pager = createPager(spec, 'https://api.example');
    expect(pager.next({ response_type: 'complete', list_token: 'refresh' }, [], req, ctx)).toBeUndefined();
    expect(pager.next({}, [], req, ctx)).toBeUndefined();
  });

  it('a delta page without a token cannot continue: MALFORMED_RESPONSE', () => {
    const pager = createPager(spec, 'https://api.example');
    expect(() => pager.next({ response_type: 'delta' }, [], req, ctx)).toThrow(SessqlError);
  });
});

describe('rows', () => {
  it('a rows path ending in ? may be absent on an empty page', () => {
    expect(extractRows({ response_type: 'complete' }, 'items?', ctx, 200)).toEqual([]);
    expect(() => extractRows({ response_type: 'complete' }, 'items', ctx, 200)).toThrow(/expected an array/);
  });
});

describe('error envelopes', () => {
  const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: JSON.stringify(body) });

  it('aws-json: the name after #, header first, message or Message', () => {
    const p = errorPolicy({ envelope: 'aws-json', retryableCodes: ['ThrottlingException'], credentialCodes: [], hints: {} });
    expect(p.parse(res(400, { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate exceeded' }))).toEqual({
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    expect(p.parse(res(400, { Message: 'nope' }, { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/' }))).toEqual({
      code: 'AccessDeniedException',
      message: 'nope',
    });
    expect(p.retryableCode(res(400, { __type: 'ThrottlingException' }))).toBe('ThrottlingException');
    expect(p.retryableCode(res(400, { __type: 'ValidationException' }))).toBeUndefined();
  });

  it('kind-message: Boundary’s {kind, message}', () => {
    const p = errorPolicy({ envelope: 'kind-message', retryableCodes: [], credentialCodes: [], hints: {} });
    expect(p.parse(res(403, { kind: 'PermissionDenied', message: 'Forbidden.' }))).toEqual({ code: 'PermissionDenied', message: 'Forbidden.' });
  });

  it('auto: ARM, the errorMessage envelope and OAuth, as before', () => {
    const p = errorPolicy({ envelope: 'auto', retryableCodes: [], credentialCodes: [], hints: {} });
    expect(p.parse(res(404, { error: { code: 'ResourceNotFound', message: 'gone' } }))).toEqual({ code: 'ResourceNotFound', message: 'gone' });
    expect(p.parse(res(401, { error: 'invalid_client', error_description: 'bad secret' }))).toEqual({
      code: 'invalid_client',
      message: 'bad secret',
    });
  });
});
