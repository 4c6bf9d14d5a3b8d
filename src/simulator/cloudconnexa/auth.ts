// OAuth2 client-credentials token endpoint and bearer-token checks (api-facts A.2).
// Invariant: a token is valid only if this simulator issued it, it has not expired by the injected
// clock and revokeTokens() has not been called since; secrets are never stored in the request log.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { errorResponse } from './errors.js';
import type { ErrorResponse, SimRequest } from './types.js';

export interface TokenGrant {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

export type TokenResult = { status: 200; body: TokenGrant } | { status: 400 | 401; body: ErrorResponse };

interface Issued {
  clientId: string;
  expiresAt: number;
}

export interface Credentials {
  clientId: string;
  clientSecret: string;
  via: SimRequest['auth'];
}

function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: safeDecode(decoded.slice(0, colon)), secret: safeDecode(decoded.slice(colon + 1)) };
}

/** RFC 6749 §2.3.1 form-encodes Basic credentials; most clients do not, so decode only when valid. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * grant_type may come from the query, a JSON body (Go client, api-facts A.2 variant 3, sent with
 * or without Content-Type) or a form body; absent is accepted (beta script sends no body at all).
 */
function grantType(query: Record<string, string>, body: string): string | undefined {
  if (query.grant_type !== undefined) return query.grant_type;
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && 'grant_type' in parsed) return String((parsed as { grant_type: unknown }).grant_type);
    } catch {
      return undefined;
    }
    return undefined;
  }
  if (text.includes('=')) return new URLSearchParams(text).get('grant_type') ?? undefined;
  return undefined;
}

/** How the token request authenticated (for the log), without validating anything. */
export function tokenAuthKind(headers: IncomingHttpHeaders, query: Record<string, string>): SimRequest['auth'] {
  if (parseBasic(headers.authorization)) return 'basic';
  if (query.client_id !== undefined || query.client_secret !== undefined) return 'query';
  return 'none';
}

export class TokenService {
  private readonly tokens = new Map<string, Issued>();

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /** Credentials: HTTP Basic first (A.2 variants 2 and 3), else the query string (variant 1). */
  issue(headers: IncomingHttpHeaders, query: Record<string, string>, body: string): TokenResult {
    const basic = parseBasic(headers.authorization);
    const id = basic ? basic.id : query.client_id;
    const secret = basic ? basic.secret : query.client_secret;
    if (id !== this.clientId || secret !== this.clientSecret) {
      return { status: 401, body: errorResponse(401, 'Bad client credentials') };
    }
    const grant = grantType(query, body);
    if (grant !== undefined && grant !== 'client_credentials') {
      return { status: 400, body: errorResponse(400, `Unsupported grant type: ${grant}`) };
    }
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId: id, expiresAt: this.now() + this.ttlSeconds * 1000 });
    return {
      status: 200,
      body: { access_token: token, token_type: 'bearer', expires_in: this.ttlSeconds, scope: 'read write' },
    };
  }

  /** The client id behind a valid bearer token, or an ErrorResponse for a 401. */
  check(authorization: string | undefined): { clientId: string } | { error: ErrorResponse } {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return { error: errorResponse(401, 'Full authentication is required to access this resource') };
    const issued = this.tokens.get(m[1]);
    if (!issued) return { error: errorResponse(401, 'Invalid access token') };
    if (this.now() >= issued.expiresAt) {
      this.tokens.delete(m[1]);
      return { error: errorResponse(401, 'Access token expired') };
    }
    return { clientId: issued.clientId };
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}
