// Sends an API request with auth: common headers, one token refresh after a 401 (or a status the
// auth scheme names), and non-2xx statuses mapped to SessqlError. Returns only 2xx responses.
import type { Authenticator } from './auth/index.js';
import { httpError, type RequestContext } from './errors.js';
import type { HttpResponse } from './types.js';
import type { CallContext, Outgoing, Transport } from './transport.js';

export interface ApiRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  /** Static and parameter headers of the resource (kept on every page). */
  headers?: Record<string, string>;
  /** The call's parameter values, for auth templates (a signing region). Never sent as such. */
  vars?: Record<string, string>;
}

const COMMON = { accept: 'application/json', 'user-agent': 'sessql' };

export class Sender {
  constructor(
    private readonly transport: Transport,
    private readonly auth: Authenticator,
    private readonly errorInfo: Pick<RequestContext, 'errors'> = {},
    private readonly scrub: (text: string) => string = (t) => t,
  ) {}

  requestContext(req: ApiRequest, ctx: CallContext): RequestContext {
    return { resourceId: ctx.resourceId, method: req.method, url: req.url, authHint: this.auth.hint, ...this.errorInfo, scrub: this.scrub };
  }

  async send(req: ApiRequest, ctx: CallContext): Promise<HttpResponse> {
    let used = await this.auth.headers(ctx, this.outgoing(req, {}));
    let sent = await this.transport.send(this.outgoing(req, used), ctx);
    const status = sent.response.status;
    if ((status === 401 || this.auth.refreshOn?.includes(status)) && this.auth.refresh(sent.response, used)) {
      used = await this.auth.headers(ctx, this.outgoing(req, {}));
      sent = await this.transport.send(this.outgoing(req, used), ctx);
    }
    const { response, attempts } = sent;
    if (response.status >= 200 && response.status < 300) return response;
    throw httpError(response, this.requestContext(req, ctx), attempts);
  }

  private outgoing(req: ApiRequest, auth: Record<string, string>): Outgoing {
    const headers: Record<string, string> = { ...COMMON };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
    Object.assign(headers, auth);
    return { method: req.method, url: req.url, body: req.body, headers, purpose: 'api' as const, vars: req.vars };
  }
}
