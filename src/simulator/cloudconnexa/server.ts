// HTTP server of the CloudConnexa simulator: request log, faults, latency, token endpoint, bearer
// auth, rate limiting and routing. Invariant: every request is logged (secrets redacted) in arrival
// order before it is answered, and close() ends idle keep-alive sockets so callers never hang.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tokenAuthKind, TokenService } from './auth.js';
import { buildData, type BuiltData } from './data.js';
import { FaultQueue } from './faults.js';
import { listRoutes, type Route } from './lists-route.js';
import { validateOptions, type ResolvedOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { errorReply, faultReply, json, type Reply } from './reply.js';
import { sessionsRoute, type SessionsContext } from './sessions-route.js';
import type { CloudConnexaSimOptions, CloudConnexaSimulator, SimRequest } from './types.js';

const TOKEN_PATH = /^\/api\/(v1|beta)\/oauth\/token$/;
const SESSIONS_PATH = /^\/api\/(v1|beta)\/sessions$/;
const SECRET_PARAMS = ['client_secret', 'access_token'];
const MAX_BODY = 1 << 20;

function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

function redact(query: Record<string, string>): Record<string, string> {
  const out = { ...query };
  for (const k of SECRET_PARAMS) if (k in out) out[k] = '[REDACTED]';
  return out;
}

function apiAuthKind(authorization: string | undefined, query: Record<string, string>): SimRequest['auth'] {
  if (/^Bearer\s/i.test(authorization ?? '')) return 'bearer';
  if (/^Basic\s/i.test(authorization ?? '')) return 'basic';
  return query.access_token !== undefined ? 'query' : 'none';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

class Simulator {
  readonly requests: SimRequest[] = [];
  readonly faults = new FaultQueue();
  readonly tokens: TokenService;
  readonly limiter: RateLimiter | undefined;
  readonly routes: Route[];
  readonly sessions: SessionsContext;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly o: ResolvedOptions,
    readonly built: BuiltData,
  ) {
    this.tokens = new TokenService(o.clientId, o.clientSecret, o.tokenTtlSeconds, o.now);
    this.limiter = o.rateLimit ? new RateLimiter(o.rateLimit, o.now) : undefined;
    this.routes = listRoutes(built.data);
    this.sessions = {
      store: built.store,
      cursors: built.cursors,
      sessionAt: built.data.sessionAt,
      now: o.now,
      maxPageSize: o.maxPageSizeSessions,
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const query = firstValues(url.searchParams);
    const isToken = TOKEN_PATH.test(path);
    const entry: SimRequest = {
      method: req.method ?? 'GET',
      path,
      query: redact(query),
      status: 0,
      at: this.o.now(),
      auth: isToken ? tokenAuthKind(req.headers, query) : apiAuthKind(req.headers.authorization, query),
    };
    this.requests.push(entry);
    const body = await readBody(req);
    // Faults come first: they model failures in front of the API (gateway, load balancer).
    const fault = this.faults.claim(path);
    let reply: Reply;
    try {
      reply = (fault && faultReply(fault)) ?? this.dispatch(req, path, query, body, isToken);
    } catch (err) {
      reply = errorReply(500, `Simulator error: ${(err as Error).message}`);
    }
    if (fault?.headers) Object.assign(reply.headers, fault.headers);
    entry.status = reply.status;
    this.send(res, reply, this.o.latencyMs + (fault?.delayMs ?? 0));
  }

  private dispatch(req: IncomingMessage, path: string, query: Record<string, string>, body: string, isToken: boolean): Reply {
    const method = req.method ?? 'GET';
    if (isToken) {
      if (method !== 'POST') return errorReply(405, `Request method '${method}' is not supported`);
      const r = this.tokens.issue(req.headers, query, body);
      return json(r.status, r.body);
    }
    const auth = this.tokens.check(req.headers.authorization);
    if ('error' in auth) return json(401, auth.error);
    // Every authenticated API call costs one token; the token endpoint is not limited [I].
    const taken = this.limiter?.take(auth.clientId);
    if (taken && !taken.allowed) return { status: 429, headers: {}, body: '' }; // empty body, no Retry-After (A.5)
    const reply = this.route(method, path, query);
    if (taken && this.limiter && reply.status >= 200 && reply.status < 300) {
      Object.assign(reply.headers, this.limiter.headers(taken.remaining));
    }
    return reply;
  }

  private route(method: string, path: string, query: Record<string, string>): Reply {
    const sessions = SESSIONS_PATH.exec(path);
    const list = sessions ? undefined : this.routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
    if (!sessions && !list) return errorReply(404, `No endpoint ${method} ${path}`);
    if (method !== 'GET') return errorReply(405, `Request method '${method}' is not supported`);
    if (sessions) return sessionsRoute(this.sessions, sessions[1] as 'v1' | 'beta', query);
    return list!.r.handler(query, list!.m!.slice(1));
  }

  private send(res: ServerResponse, reply: Reply, delayMs: number): void {
    const write = (): void => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) });
      res.end(reply.body);
    };
    if (delayMs <= 0) return write();
    const t = setTimeout(() => {
      this.timers.delete(t);
      write();
    }, delayMs);
    this.timers.add(t);
  }

  cancelTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startCloudConnexaSimulator(opts: CloudConnexaSimOptions = {}): Promise<CloudConnexaSimulator> {
  const o = validateOptions(opts);
  const clock = o.now;
  let passed = 0;
  o.now = () => clock() + passed;
  const built = buildData({ seed: o.seed, sessions: o.sessions, users: o.users, historyDays: o.historyDays, now0: o.now() });
  const sim = new Simulator(o, built);
  const server = createServer((req, res) => {
    sim.handle(req, res).catch(() => res.destroy());
  });
  // Longer than undici's 4 s client keep-alive so the server is not the side that races to close.
  server.keepAliveTimeout = 10_000;
  server.headersTimeout = 15_000;
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    requests: sim.requests,
    data: built.data,
    injectFault: (f) => sim.faults.add(f),
    now: () => o.now(),
    advance: (ms, what = {}) => {
      const from = o.now();
      passed += ms;
      built.store.advance(from, o.now(), what);
    },
    revokeTokens: () => sim.tokens.revokeAll(),
    resetLog: () => {
      sim.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        sim.cancelTimers();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
