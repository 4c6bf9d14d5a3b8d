// OAuth2 client-credentials grant: POST {base}{tokenPath} with HTTP Basic + JSON body (as the
// official Go client sends it) or with the credentials in the query string; the token is cached
// until shortly before expires_in and fetched again once after a 401 (api-facts A.2).
import { SessqlError } from '../../errors.js';
import type { AuthSpec } from '../../manifest/schema.js';
import { envName, requireKeys } from '../config.js';
import { extractApiError, httpError, malformed, type RequestContext } from '../errors.js';
import type { HttpResponse } from '../types.js';
import type { CallContext, Outgoing } from '../transport.js';
import { TokenCache, type IssuedToken } from './token-cache.js';
import { bearer, bearerOf, type AuthDeps, type Authenticator } from './types.js';

type OAuthSpec = Extract<AuthSpec, { kind: 'oauth2-client-credentials' }>;

export function oauth2ClientCredentials(auth: OAuthSpec, d: AuthDeps): Authenticator {
  const envs = `${envName(d.spec, auth.clientIdConfig)} and ${envName(d.spec, auth.clientSecretConfig)}`;
  const hint = `check ${envs}, that API access is enabled for the account, and that the API key has not expired`;
  d.secrets.add(d.config[auth.clientSecretConfig]);
  d.secrets.add(basicCredentials(auth, d));
  const cache = new TokenCache(d.now, (ctx) => requestToken(auth, d, ctx, hint));
  return {
    hint,
    check: () => requireKeys(d.spec, d.config, [auth.clientIdConfig, auth.clientSecretConfig], 'client credentials'),
    headers: async (ctx) => bearer(await cache.get(ctx)),
    refresh: (_res, used) => {
      cache.drop(bearerOf(used));
      return true;
    },
  };
}

function tokenRequest(auth: OAuthSpec, d: AuthDeps): Outgoing {
  const url = new URL(d.baseUrl() + auth.tokenPath);
  if (auth.credentialsIn === 'query') {
    url.searchParams.set('client_id', d.config[auth.clientIdConfig] ?? '');
    url.searchParams.set('client_secret', d.config[auth.clientSecretConfig] ?? '');
    url.searchParams.set('grant_type', 'client_credentials');
    return { method: 'POST', url: url.href, headers: { accept: 'application/json' }, purpose: 'token' };
  }
  const basic = basicCredentials(auth, d);
  return {
    method: 'POST',
    url: url.href,
    headers: { accept: 'application/json', authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', scope: auth.scope ?? 'default' }),
    purpose: 'token',
  };
}

function basicCredentials(auth: OAuthSpec, d: AuthDeps): string {
  return Buffer.from(`${d.config[auth.clientIdConfig] ?? ''}:${d.config[auth.clientSecretConfig] ?? ''}`).toString('base64');
}

async function requestToken(auth: OAuthSpec, d: AuthDeps, ctx: CallContext, hint: string): Promise<IssuedToken> {
  const req = tokenRequest(auth, d);
  const { response, attempts } = await d.transport.send(req, { ...ctx, idempotent: true });
  const rctx: RequestContext = { resourceId: ctx.resourceId, method: req.method, url: req.url, authHint: hint, scrub: (t) => d.secrets.scrub(t) };
  if ([400, 401, 403].includes(response.status)) throw rejected(d, response, hint);
  if (response.status < 200 || response.status >= 300) throw httpError(response, rctx, attempts);
  const token = parseToken(response, rctx, d.now());
  d.secrets.add(token.token);
  return token;
}

function rejected(d: AuthDeps, res: HttpResponse, hint: string): SessqlError {
  const api = extractApiError(d.secrets.scrub(res.body));
  const said = api.message ? `: ${api.message}` : '';
  return new SessqlError('AUTH_FAILED', `${d.spec.title} rejected the client credentials (token request answered ${res.status})${said}`, {
    hint,
    details: { status: res.status, ...(api.code ? { apiCode: api.code } : {}) },
  });
}

function parseToken(res: HttpResponse, rctx: RequestContext, now: number): IssuedToken {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    throw malformed(rctx, 'the token response is not JSON', res.status);
  }
  const token = body?.access_token;
  if (typeof token !== 'string' || token === '') throw malformed(rctx, 'the token response has no access_token', res.status);
  const expiresIn = Number(body.expires_in);
  return { token, expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : undefined };
}
