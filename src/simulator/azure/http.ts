// HTTP plumbing for the Azure simulator: one Exchange per request parses the URL, reads the body and
// replies exactly once. Invariant: every reply is appended to the request log before it is sent, so
// a test that awaited a response always finds it in `requests`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestKind, SimRequest } from './types.js';

const MAX_BODY = 1 << 20;

export class Exchange {
  readonly method: string;
  /** Path as sent (percent-decoded per segment on demand), without the query string. */
  readonly path: string;
  /** Decoded, non-empty path segments. */
  readonly segments: string[];
  /** The segments lower-cased: ARM paths compare case-insensitively. */
  readonly lower: string[];
  readonly query: Record<string, string>;
  kind: RequestKind = 'other';
  private readonly extra: Record<string, string> = {};
  private replied = false;

  constructor(
    readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly log: SimRequest[],
    private readonly now: () => number,
  ) {
    this.method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    // prefixing keeps a path such as //subscriptions from being read as a host name
    const url = target.startsWith('/') ? new URL(`http://sim.invalid${target}`) : new URL(target, 'http://sim.invalid');
    this.path = url.pathname;
    this.query = Object.fromEntries(url.searchParams.entries());
    this.segments = url.pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    this.lower = this.segments.map((s) => s.toLowerCase());
  }

  /** A query parameter by name, compared case-insensitively ($skipToken vs $skiptoken). */
  param(name: string): string | undefined {
    if (name in this.query) return this.query[name];
    const wanted = name.toLowerCase();
    const hit = Object.keys(this.query).find((k) => k.toLowerCase() === wanted);
    return hit === undefined ? undefined : this.query[hit];
  }

  /** Adds a header to whatever reply is sent later. */
  header(name: string, value: string | number): void {
    this.extra[name] = String(value);
  }

  get done(): boolean {
    return this.replied;
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.raw(status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
  }

  /** ARM CloudError envelope (api-facts B.5). */
  armError(status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    this.json(status, { error: { code, message } }, headers);
  }

  empty(status: number, headers: Record<string, string> = {}): void {
    this.raw(status, '', undefined, headers);
  }

  raw(status: number, text: string, contentType: string | undefined, headers: Record<string, string> = {}): void {
    if (this.replied) return;
    this.replied = true;
    this.log.push({ method: this.method, path: this.path, query: this.query, status, at: this.now(), kind: this.kind });
    const out: Record<string, string> = { ...this.extra, ...headers };
    if (contentType && text.length > 0) out['Content-Type'] = contentType;
    out['Content-Length'] = String(Buffer.byteLength(text));
    try {
      this.res.writeHead(status, out);
      this.res.end(text);
    } catch {
      // the client went away; nothing to do
    }
  }

  body(): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      this.req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      this.req.on('error', reject);
    });
  }
}

export const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
