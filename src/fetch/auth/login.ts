// Auth kind `login`: a bearer token from a setting when it is set, else one obtained by a login
// request (POST path with a JSON body, `{setting}` placeholders filled from config) and kept for
// the run; after a 401 (or a status in `reloginOn`) a logged-in token is dropped and the login
// made once more.
import { SessqlError } from '../../errors.js';
import type { AuthSpec } from '../../manifest/schema.js';
import { envName, isSet, requireKeys } from '../config.js';
import { extractApiError, httpError, malformed, type RequestContext } from '../errors.js';
import { getPath } from '../response.js';
import type { CallContext, Outgoing } from '../transport.js';
import { TokenCache, type IssuedToken } from './token-cache.js';
import { bearer, bearerOf, type AuthDeps, type Authenticator } from './types.js';

type LoginSpec = Extract<AuthSpec, { kind: 'login' }>;

export function loginAuth(auth: LoginSpec, d: AuthDeps): Authenticator {
  const tokenEnv = auth.tokenConfig ? envName(d.spec, auth.tokenConfig) : undefined;
  const loginEnvs = auth.loginConfig.map((k) => envName(d.spec, k)).join(', ');
  const staticToken = auth.tokenConfig ? d.config[auth.tokenConfig] : undefined;
  for (const k of auth.loginConfig) if (d.spec.config[k]?.secret) d.secrets.add(d.config[k]);
  if (isSet(staticToken)) {
    d.secrets.add(staticToken);
    return {
      hint: `check ${tokenEnv}: the token was not accepted (it may be wrong, revoked or expired)`,
      check: () => {},
      headers: async () => bearer(staticToken),
      refresh: () => false,
    };
  }
  const hint = `check ${loginEnvs}${tokenEnv ? `, or set ${tokenEnv}` : ''}`;
  const cache = new TokenCache(d.now, (ctx) => login(auth, d, ctx, hint));
  return {
    hint,
    check: () => {
      try {
        requireKeys(d.spec, d.config, auth.loginConfig, 'login settings');
      } catch (e) {
        if (e instanceof SessqlError && tokenEnv) throw new SessqlError(e.code, e.message, { hint: `set ${tokenEnv}, or ${e.hint}` });
        throw e;
      }
    },
    headers: async (ctx) => bearer(await cache.get(ctx)),
    refreshOn: auth.reloginOn,
    refresh: (_res, used) => {
      cache.drop(bearerOf(used));
      return true;
    },
  };
}

/** Fills `{setting}` placeholders in strings, recursively. */
function fill(value: unknown, d: AuthDeps, encode: (s: string) => string = (s) => s): unknown {
  if (typeof value === 'string') return value.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, k: string) => encode(d.config[k] ?? ''));
  if (Array.isArray(value)) return value.map((v) => fill(v, d, encode));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, d, encode)]));
  return value;
}

async function login(auth: LoginSpec, d: AuthDeps, ctx: CallContext, hint: string): Promise<IssuedToken> {
  const url = d.baseUrl() + (fill(auth.path, d, encodeURIComponent) as string);
  const req: Outgoing = {
    method: 'POST',
    url,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(fill(auth.body, d)),
    purpose: 'token',
  };
  const { response, attempts } = await d.transport.send(req, { ...ctx, idempotent: true });
  const scrub = (t: string) => d.secrets.scrub(t);
  const rctx: RequestContext = { resourceId: ctx.resourceId, method: req.method, url: req.url, authHint: hint, scrub };
  if ([400, 401, 403].includes(response.status)) {
    // scrub first, cut after: a refusal may echo the login name or password
    const api = extractApiError(scrub(response.body));
    throw new SessqlError(
      'AUTH_FAILED',
      `${d.spec.title} refused the login (${response.status})${api.message ? `: ${api.code ? `${api.code}: ` : ''}${api.message}` : ''}`,
      {
        hint,
        details: { status: response.status, ...(api.code ? { apiCode: api.code } : {}) },
      },
    );
  }
  if (response.status < 200 || response.status >= 300) throw httpError(response, rctx, attempts);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw malformed(rctx, 'the login response is not JSON', response.status);
  }
  const token = getPath(body, auth.tokenField);
  if (typeof token !== 'string' || token === '') throw malformed(rctx, `the login response has no ${auth.tokenField}`, response.status);
  d.secrets.add(token);
  const expires = auth.expiresField ? Date.parse(String(getPath(body, auth.expiresField))) : NaN;
  return { token, expiresAt: Number.isNaN(expires) ? undefined : expires };
}
