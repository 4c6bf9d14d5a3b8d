// Test helpers for the fetch stage: tiny loopback servers, a fake clock whose sleep records waits,
// and builders for provider specs and calls (validated through the real manifest schema).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { schemas, type ProviderSpec } from '../../src/manifest/schema.js';
import type { FetchCall, FetchEvent, ProviderClientOptions } from '../../src/fetch/index.js';
import { createProviderClient } from '../../src/fetch/index.js';

export interface Seen {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: Seen, res: http.ServerResponse) => unknown;

export interface TestServer {
  url: string;
  seen: Seen[];
  handle: (h: Handler) => void;
  server: http.Server;
}

const servers: http.Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server on 127.0.0.1:0 whose handler can be swapped per test; records every request. */
export async function startServer(initial?: Handler): Promise<TestServer> {
  let handler: Handler = initial ?? ((_q, res) => json(res, 200, []));
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(s);
      Promise.resolve(handler(s, res)).catch((e) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server, handle: (h) => (handler = h) };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** A fake clock: sleep advances `now` instantly and records each wait. */
export function fakeClock(start = 1_700_000_000_000) {
  const clock = {
    t: start,
    waits: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      clock.waits.push(ms);
      clock.t += ms;
      void signal;
      await Promise.resolve();
    },
    elapsed: () => clock.t - start,
  };
  return clock;
}

export const CC_CONFIG = {
  baseUrl: { description: 'base', env: 'TEST_BASE_URL', required: true },
  clientId: { description: 'id', env: 'TEST_CLIENT_ID' },
  clientSecret: { description: 'secret', env: 'TEST_CLIENT_SECRET', secret: true },
  token: { description: 'token', env: 'TEST_TOKEN', secret: true },
};

/** A provider spec with no auth by default; `extra` overrides top-level fields. */
export function makeSpec(extra: Record<string, unknown> = {}): ProviderSpec {
  return schemas().ProviderSpec.parse({
    name: 'testprov',
    title: 'Test Provider',
    description: 'test',
    config: CC_CONFIG,
    baseUrlConfig: 'baseUrl',
    auth: { kind: 'none' },
    maxRetries: 2,
    services: {},
    ...extra,
  });
}

export function makeCall(extra: Partial<FetchCall> = {}): FetchCall {
  return {
    resourceId: 'testprov.svc.items',
    request: { method: 'GET', path: '/items', query: {} },
    parameters: {},
    params: {},
    rows: '$',
    pagination: { kind: 'none' },
    ...extra,
  };
}

export function makeClient(server: { url: string } | string, opts: Partial<ProviderClientOptions> & { specExtra?: Record<string, unknown> } = {}) {
  const clock = fakeClock();
  const events: FetchEvent[] = [];
  const { specExtra, config, ...rest } = opts;
  const client = createProviderClient({
    spec: makeSpec(specExtra),
    config: { baseUrl: typeof server === 'string' ? server : server.url, ...config },
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    retryWaitCapMs: 60_000,
    onEvent: (e) => events.push(e),
    ...rest,
  });
  return { client, clock, events };
}

export async function collect(client: ReturnType<typeof createProviderClient>, call: FetchCall) {
  const pages: unknown[][] = [];
  const stats = await client.fetchPages(call, (items) => {
    pages.push(items);
  });
  return { pages, rows: pages.flat(), stats };
}

/** The rejection of `p` (fails the test if it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<import('../../src/errors.js').SessqlError> {
  try {
    await p;
  } catch (e) {
    return e as import('../../src/errors.js').SessqlError;
  }
  throw new Error('expected a rejection');
}

/** Everything printable about an error: message, hint, details. */
export function printable(e: { message: string; hint?: string; details?: unknown; stack?: string }): string {
  return [e.message, e.hint ?? '', JSON.stringify(e.details ?? {}), e.stack ?? ''].join('\n');
}
