import { getEventListeners } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAxiosHttp, TransportError } from '../../src/fetch/index.js';
import { json, startServer } from './helpers.js';

describe('createAxiosHttp', async () => {
  const http = createAxiosHttp();
  const server = await startServer();

  it('returns every status as a response with raw text body and lower-case headers', async () => {
    server.handle((_q, res) => json(res, 500, { error: { code: 'X', message: 'boom' } }, { 'X-RateLimit-Remaining': '3' }));
    const res = await http.request({ method: 'GET', url: `${server.url}/a`, timeoutMs: 2000 });
    expect(res.status).toBe(500);
    expect(res.body).toBe('{"error":{"code":"X","message":"boom"}}');
    expect(res.headers['x-ratelimit-remaining']).toBe('3');
  });

  it('does not parse JSON bodies and does not follow redirects', async () => {
    server.handle((_q, res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    });
    const res = await http.request({ method: 'GET', url: `${server.url}/r`, timeoutMs: 2000 });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/elsewhere');
    expect(server.seen.at(-1)!.path).toBe('/r');
  });

  it('reuses connections (keep-alive)', async () => {
    const ports = new Set<number>();
    server.handle((_q, res) => res.end('ok'));
    server.server.on('request', (req) => ports.add(req.socket.remotePort!));
    await http.request({ method: 'GET', url: `${server.url}/k1`, timeoutMs: 2000 });
    await http.request({ method: 'GET', url: `${server.url}/k2`, timeoutMs: 2000 });
    expect(ports.size).toBe(1);
  });

  it('throws TransportError timeout when no response arrives in time', async () => {
    server.handle(() => {});
    const err = await http.request({ method: 'GET', url: `${server.url}/slow`, timeoutMs: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe('timeout');
  });

  it('throws TransportError aborted when the caller aborts', async () => {
    server.handle(() => {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await http.request({ method: 'GET', url: `${server.url}/hang`, timeoutMs: 5000, signal: ac.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe('aborted');
  });

  it("leaves nothing on the caller's signal once a request is done (a long run shares one signal)", async () => {
    server.handle((_q, res) => json(res, 200, []));
    const ac = new AbortController();
    for (let i = 0; i < 20; i++) await http.request({ method: 'GET', url: `${server.url}/n${i}`, timeoutMs: 2000, signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('throws TransportError network for a refused connection, marked as never sent', async () => {
    const port = await freePort();
    const err = await http.request({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe('network');
    expect(err.errno).toBe('ECONNREFUSED');
    expect(err.mayHaveReached).toBe(false);
  });

  it('throws TransportError network when the server drops the connection', async () => {
    server.handle((_q, res) => res.socket?.destroy());
    const err = await http.request({ method: 'GET', url: `${server.url}/drop`, timeoutMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe('network');
    expect(err.mayHaveReached).toBe(true);
  });

  it('never includes request headers in the error', async () => {
    const port = await freePort();
    const err = await http
      .request({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: { authorization: 'Bearer sekrit-token' }, timeoutMs: 2000 })
      .catch((e) => e);
    expect(JSON.stringify(err)).not.toContain('sekrit');
    expect(String(err.stack)).not.toContain('sekrit');
    expect(err.cause).toBeUndefined();
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
