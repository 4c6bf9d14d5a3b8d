// HTTP plumbing shared by the simulators: one request type for the logs tests read, a server
// bound to 127.0.0.1 on a free port, body reading and JSON replies.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a simulator logs for each request it answered (tests assert on these). */
export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Simulator clock, epoch ms. */
  at: number;
  /** Parsed JSON body of a POST, when there was one. */
  body?: unknown;
  /** Request headers, lower-case names (without authorization). */
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface IncomingSimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Starts a server on 127.0.0.1; every answered request is logged before its reply is sent. */
export async function serve(
  handle: (req: IncomingSimRequest) => Promise<Reply> | Reply,
  log: SimRequest[],
  now: () => number,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sim.invalid');
      const rawBody = await readBody(req);
      const headers = headersOf(req);
      const incoming: IncomingSimRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        rawBody,
      };
      let reply: Reply;
      try {
        reply = await handle(incoming);
      } catch (e) {
        reply = json(500, { message: `simulator error: ${(e as Error).message}` });
      }
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = rawBody;
      }
      const { authorization: _a, ...safeHeaders } = headers;
      log.push({ method: incoming.method, path: incoming.path, query: incoming.query, status: reply.status, at: now(), body, headers: safeHeaders });
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
