// The fault-injection suite's own API: a tiny OAuth2 + JSON API on 127.0.0.1:0 whose every answer
// a test scripts (statuses, headers, bodies, resets, hangs, cursors, 202s), and the provider
// manifest that points sessql at it. Secrets are distinctive strings so any leak is found by grep.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLIENT_ID = 'fault-client-id';
export const CLIENT_SECRET = 'fault-secret-5e1f0c9a7b2d4e68';
/** Tokens are issued as TOKEN_PREFIX + n; every one of them is a secret. */
export const TOKEN_PREFIX = 'fault-token-9d3b71c4e0a2f5-';
export const SECRETS = [CLIENT_SECRET, `${TOKEN_PREFIX}1`, `${TOKEN_PREFIX}2`, Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')];

export interface FaultRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  token?: string;
  /** How many requests this path has had, this one included. */
  n: number;
}

export type Script = (q: FaultRequest, res: http.ServerResponse, server: FaultServer) => void;

export class FaultServer {
  url = '';
  readonly log: FaultRequest[] = [];
  tokensIssued = 0;
  /** Tokens the API still accepts (a test expires them). */
  readonly valid = new Set<string>();
  private script: Script = (_q, res) => send(res, 200, { items: [] });
  private readonly counts = new Map<string, number>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A new script; the request log and per-path counts start again. */
  use(script: Script): void {
    this.script = script;
    this.log.length = 0;
    this.counts.clear();
  }

  requests(path: string): FaultRequest[] {
    return this.log.filter((q) => q.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/oauth/token') {
        const token = `${TOKEN_PREFIX}${++this.tokensIssued}`;
        this.valid.add(token);
        return send(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
      }
      const n = (this.counts.get(u.pathname) ?? 0) + 1;
      this.counts.set(u.pathname, n);
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      const q: FaultRequest = { method: req.method ?? '', path: u.pathname, query: Object.fromEntries(u.searchParams), token, n };
      this.log.push(q);
      if (!token || !this.valid.has(token)) return send(res, 401, { error: { code: 'ExpiredAuthenticationToken', message: 'token expired' } });
      this.script(q, res, this);
    });
  }
}

export function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

export const item = (id: number) => ({ id: `i${id}`, n: id, flag: id % 2 === 0, meta: { k: id } });

/** The test provider: cursor, nextLink, long-running and fan-out resources on the fault server. */
export const MANIFEST = {
  name: 'faulty',
  title: 'Faulty API',
  description: 'An API that fails in every way the fault-injection suite asks for.',
  baseUrlConfig: 'baseUrl',
  config: {
    baseUrl: { description: 'base URL', env: 'FAULTY_BASE_URL', required: true },
    clientId: { description: 'client id', env: 'FAULTY_CLIENT_ID', required: true },
    clientSecret: { description: 'client secret', env: 'FAULTY_CLIENT_SECRET', secret: true, required: true },
  },
  auth: {
    kind: 'oauth2-client-credentials',
    tokenPath: '/oauth/token',
    clientIdConfig: 'clientId',
    clientSecretConfig: 'clientSecret',
    credentialsIn: 'basic',
  },
  rateLimit: { kind: 'retry-after' },
  concurrency: 2,
  timeoutSeconds: 30,
  maxRetries: 2,
  services: {
    api: {
      description: 'Fault injection.',
      resources: {
        items: {
          description: 'Cursor-paged items.',
          request: { method: 'GET', path: '/items' },
          rows: 'items',
          pagination: { kind: 'cursor', param: 'cursor', field: 'next' },
          key: ['id'],
          columns: [
            { name: 'id', type: 'string' },
            { name: 'n', type: 'integer' },
            { name: 'flag', type: 'boolean' },
            { name: 'meta', type: 'json' },
          ],
          methods: {
            poke: {
              description: 'A read-only action.',
              write: false,
              request: { method: 'POST', path: '/poke' },
              rows: 'value',
              columns: [{ name: 'id', type: 'string' }],
            },
          },
        },
        links: {
          description: 'nextLink-paged items.',
          request: { method: 'GET', path: '/links' },
          rows: 'value',
          pagination: { kind: 'nextLink', field: 'nextLink' },
          columns: [{ name: 'id', type: 'string' }],
        },
        ops: {
          description: 'A long-running list.',
          request: { method: 'GET', path: '/ops' },
          rows: 'value',
          longRunning: 'azure-async',
          columns: [{ name: 'id', type: 'string' }],
        },
        hosts: {
          description: 'Hosts to fan out over.',
          request: { method: 'GET', path: '/hosts' },
          rows: 'value',
          columns: [{ name: 'name', type: 'string' }],
        },
        host_items: {
          description: 'Items per host.',
          request: { method: 'GET', path: '/hosts/{host}/items' },
          rows: 'value',
          parameters: { host: { in: 'path', required: true, enumerate: { resource: 'faulty.api.hosts', columns: { host: 'name' } } } },
          columns: [{ name: 'id', type: 'string' }],
        },
      },
    },
  },
};

/** The manifest written to a temporary file (for --provider-file and the engine's manifests). */
export function manifestFile(overrides: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sessql-fault-'));
  const file = join(dir, 'faulty.json');
  writeFileSync(file, JSON.stringify({ ...MANIFEST, ...overrides }));
  return file;
}
