// Sends an API request with auth: common headers, one token refresh after a 401, and non-2xx
// statuses mapped to SessqlError. Returns only 2xx responses.
import type { Authenticator } from './auth/index.js';
import { httpError, type RequestContext } from './errors.js';
import type { HttpResponse } from './types.js';
import type { CallContext, Transport } from './transport.js';

export interface ApiRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
}

const COMMON = { accept: 'application/json', 'user-agent': 'sessql' };

export class Sender {
  constructor(
    private readonly transport: Transport,
    private readonly auth: Authenticator,
    private readonly scrub: (text: string) => string = (t) => t,
  ) {}

  requestContext(req: ApiRequest, ctx: CallContext): RequestContext {
    return { resourceId: ctx.resourceId, method: req.method, url: req.url, authHint: this.auth.hint, scrub: this.scrub };
  }

  async send(req: ApiRequest, ctx: CallContext): Promise<HttpResponse> {
    let used = await this.auth.headers(ctx);
    let sent = await this.transport.send(this.outgoing(req, used), ctx);
    if (sent.response.status === 401 && this.auth.refresh(sent.response, used)) {
      used = await this.auth.headers(ctx);
      sent = await this.transport.send(this.outgoing(req, used), ctx);
    }
    const { response, attempts } = sent;
    if (response.status >= 200 && response.status < 300) return response;
    throw httpError(response, this.requestContext(req, ctx), attempts);
  }

  private outgoing(req: ApiRequest, auth: Record<string, string>) {
    const headers: Record<string, string> = { ...COMMON, ...auth };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    return { method: req.method, url: req.url, body: req.body, headers, purpose: 'api' as const };
  }
}
