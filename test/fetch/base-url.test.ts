import { describe, expect, it } from 'vitest';
import { isLoopbackHost, normaliseBaseUrl } from '../../src/fetch/index.js';
import { SessqlError } from '../../src/errors.js';

describe('normaliseBaseUrl', () => {
  it.each([
    ['https://acme.api.example.com', 'https://acme.api.example.com'],
    ['https://acme.api.example.com/api/v1?x=1#f', 'https://acme.api.example.com'],
    ['  https://acme.api.example.com/  ', 'https://acme.api.example.com'],
    ['https://host.example.com:8443/path', 'https://host.example.com:8443'],
    ['http://127.0.0.1:8080/api', 'http://127.0.0.1:8080'],
    ['http://127.1.2.3', 'http://127.1.2.3'],
    ['http://localhost:3000/x', 'http://localhost:3000'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ])('%s → %s', (raw, want) => {
    expect(normaliseBaseUrl(raw, 'X_BASE_URL')).toBe(want);
  });

  it.each([
    ['http://acme.api.example.com', 'INVALID_CONFIG', /must use https/],
    ['http://10.0.0.1', 'INVALID_CONFIG', /must use https/],
    ['http://127.example.com', 'INVALID_CONFIG', /must use https/],
    ['ftp://acme.example.com', 'INVALID_CONFIG', /must use https/],
    ['not a url', 'INVALID_CONFIG', /not a valid URL/],
    [undefined, 'MISSING_CREDENTIALS', /X_BASE_URL is not set/],
    ['   ', 'MISSING_CREDENTIALS', /X_BASE_URL is not set/],
  ])('%s is refused with %s', (raw, code, message) => {
    let err: SessqlError | undefined;
    try {
      normaliseBaseUrl(raw, 'X_BASE_URL');
    } catch (e) {
      err = e as SessqlError;
    }
    expect(err?.code).toBe(code);
    expect(err?.message).toMatch(message);
    expect(err?.hint).toContain('X_BASE_URL');
  });

  it('does not echo user info from the URL', () => {
    expect(normaliseBaseUrl('https://user:pw@host.example.com/x', 'E')).toBe('https://host.example.com');
    try {
      normaliseBaseUrl('http://user:hunter22@host.example.com', 'E');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter22');
    }
  });

  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['example.com', false],
    ['127.0.0.1.nip.io', false],
  ])('isLoopbackHost(%s) = %s', (host, want) => {
    expect(isLoopbackHost(host)).toBe(want);
  });
});
