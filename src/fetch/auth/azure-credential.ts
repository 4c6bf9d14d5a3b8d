// Auth kind `azure-credential`: a ready bearer token from config (e.g. AZURE_ACCESS_TOKEN) when set, otherwise
// DefaultAzureCredential (loaded on first use) with getToken(scope), cached until shortly before
// expiresOnTimestamp and fetched again once after a 401 for an invalid or expired token (api-facts B.5).
import { SessqlError } from '../../errors.js';
import type { AuthSpec } from '../../manifest/schema.js';
import { envName, isSet } from '../config.js';
import { extractApiError } from '../errors.js';
import type { AzureTokenCredential } from '../types.js';
import type { CallContext } from '../transport.js';
import { TokenCache, type IssuedToken } from './token-cache.js';
import { bearer, bearerOf, type AuthDeps, type Authenticator } from './types.js';

type AzureSpec = Extract<AuthSpec, { kind: 'azure-credential' }>;

const REFRESHABLE = new Set(['InvalidAuthenticationToken', 'ExpiredAuthenticationToken']);
const CHAIN_HINT = (env: string) =>
  `set ${env} (for example from \`az account get-access-token --query accessToken -o tsv\`), ` +
  'or set the service principal variables AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or sign in with `az login`';

export function azureAuth(auth: AzureSpec, d: AuthDeps): Authenticator {
  const env = envName(d.spec, auth.tokenConfig);
  const staticToken = d.config[auth.tokenConfig];
  if (isSet(staticToken)) return staticAzure(staticToken, env, d);
  const credential = lazyCredential(d.credentials?.['azure-credential']);
  const cache = new TokenCache(d.now, (ctx) => chainToken(auth, env, credential, ctx, d));
  return {
    hint: `the signed-in identity's token was not accepted; ${CHAIN_HINT(env)}`,
    check: () => {},
    headers: async (ctx) => bearer(await cache.get(ctx)),
    refresh: (res, used) => {
      if (!REFRESHABLE.has(extractApiError(res.body).code ?? '')) return false;
      cache.drop(bearerOf(used));
      return true;
    },
  };
}

function staticAzure(token: string, env: string, d: AuthDeps): Authenticator {
  d.secrets.add(token);
  return {
    hint: `the token in ${env} was not accepted (such tokens expire after about an hour); get a new one with \`az account get-access-token --query accessToken -o tsv\`, or unset ${env} to use the credential chain`,
    check: () => {},
    headers: async () => bearer(token),
    refresh: () => false,
  };
}

function lazyCredential(injected?: AzureTokenCredential): () => Promise<AzureTokenCredential> {
  let made: Promise<AzureTokenCredential> | undefined;
  return () => {
    made ??= injected ? Promise.resolve(injected) : import('@azure/identity').then((m) => new m.DefaultAzureCredential());
    return made;
  };
}

async function chainToken(
  auth: AzureSpec,
  env: string,
  credential: () => Promise<AzureTokenCredential>,
  ctx: CallContext,
  d: AuthDeps,
): Promise<IssuedToken> {
  ctx.stats.add('tokenRequests');
  let got: Awaited<ReturnType<AzureTokenCredential['getToken']>>;
  try {
    got = await (await credential()).getToken(auth.scope, { abortSignal: ctx.signal });
  } catch (e) {
    if (ctx.signal?.aborted) throw new SessqlError('CANCELLED', 'the statement was cancelled');
    throw chainFailure(d, env, e);
  }
  if (!got?.token) throw chainFailure(d, env);
  d.secrets.add(got.token);
  return { token: got.token, expiresAt: got.expiresOnTimestamp };
}

function chainFailure(d: AuthDeps, env: string, e?: unknown): SessqlError {
  // scrub first, cut after: a token straddling the cut would otherwise survive in part
  const why = e instanceof Error ? `: ${d.secrets.scrub(e.message.split('\n')[0]).slice(0, 300)}` : '';
  return new SessqlError(
    'MISSING_CREDENTIALS',
    `${d.spec.title}: no credentials found (${env} is not set and the credential chain returned no token${why})`,
    {
      hint: CHAIN_HINT(env),
    },
  );
}
