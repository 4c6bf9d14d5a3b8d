// Auth kind `sigv4`: AWS Signature Version 4 over the request as sent (method, path, query, the
// headers present, body), with @smithy/signature-v4. Credentials: the key settings when set (and no
// profile is named), else the AWS SDK's default Node provider chain. The AWS packages load on the
// first signed request, so statements that use no such provider never load them.
import { SessqlError } from '../../errors.js';
import type { AuthSpec } from '../../manifest/schema.js';
import { envName, isSet } from '../config.js';
import type { Outgoing } from '../transport.js';
import type { AuthDeps, Authenticator } from './types.js';

type SigV4Spec = Extract<AuthSpec, { kind: 'sigv4' }>;

interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
type CredentialProvider = () => Promise<AwsCredentials>;

interface Signer {
  sign(req: unknown, opts: { signingRegion: string; signingDate?: Date }): Promise<{ headers: Record<string, string> }>;
}

export function sigv4Auth(auth: SigV4Spec, d: AuthDeps): Authenticator {
  const cfg = (k: string | undefined) => (k ? d.config[k] : undefined);
  for (const k of [auth.secretAccessKeyConfig, auth.sessionTokenConfig]) d.secrets.add(cfg(k));
  const useKeys = isSet(cfg(auth.accessKeyIdConfig)) && !isSet(cfg(auth.profileConfig));
  const keyEnvs = [auth.accessKeyIdConfig, auth.secretAccessKeyConfig].filter((k): k is string => Boolean(k)).map((k) => envName(d.spec, k));
  const hint = `check the AWS credentials (${keyEnvs.join(' and ') || 'the default credential chain'}${auth.profileConfig ? `, or ${envName(d.spec, auth.profileConfig)}` : ''}) and that the clock is right`;
  let signer: Promise<Signer> | undefined;
  const makeSigner = async (): Promise<Signer> => {
    const [{ SignatureV4 }, { Sha256 }] = await Promise.all([import('@smithy/signature-v4'), import('@aws-crypto/sha256-js')]);
    const injected = d.credentials?.sigv4;
    const credentials: CredentialProvider = useKeys ? staticKeys(auth, d) : (injected ?? (await chain()));
    return new SignatureV4({ credentials, region: 'us-east-1', service: auth.service, sha256: Sha256, applyChecksum: true }) as unknown as Signer;
  };
  return {
    hint,
    check: () => {
      if (useKeys && !isSet(cfg(auth.secretAccessKeyConfig))) {
        const env = auth.secretAccessKeyConfig ? envName(d.spec, auth.secretAccessKeyConfig) : 'the secret access key';
        throw new SessqlError('MISSING_CREDENTIALS', `${d.spec.title}: ${env} is not set (the access key id is)`, { hint: `set ${env}` });
      }
    },
    headers: async (_ctx, req) => {
      if (!req) throw new SessqlError('INTERNAL', 'sigv4 needs the request to sign');
      signer ??= makeSigner();
      let s: Signer;
      try {
        s = await signer;
      } catch (e) {
        signer = undefined;
        throw e;
      }
      return signRequest(s, req, region(auth, req, d));
    },
    refresh: () => false,
  };
}

function staticKeys(auth: SigV4Spec, d: AuthDeps): CredentialProvider {
  const get = (k: string | undefined) => (k && isSet(d.config[k]) ? d.config[k] : undefined);
  const creds: AwsCredentials = {
    accessKeyId: get(auth.accessKeyIdConfig) ?? '',
    secretAccessKey: get(auth.secretAccessKeyConfig) ?? '',
    sessionToken: get(auth.sessionTokenConfig),
  };
  return async () => creds;
}

async function chain(): Promise<CredentialProvider> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const provider = fromNodeProviderChain();
  return async () => {
    try {
      return await provider();
    } catch (e) {
      throw new SessqlError('MISSING_CREDENTIALS', `no AWS credentials: ${(e as Error).message}`, {
        hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (aws configure / aws sso login)',
      });
    }
  };
}

function region(auth: SigV4Spec, req: Outgoing, d: AuthDeps): string {
  const value = auth.region.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, k: string) => req.vars?.[k] ?? d.config[k] ?? '');
  if (value === '') {
    throw new SessqlError('MISSING_PARAMETER', `${d.spec.title}: no region to sign the request for`, {
      hint: "set AWS_REGION, or add region = '<region>' to the WHERE clause",
    });
  }
  return value;
}

/** Signs the request exactly as it will be sent: the headers returned are added to it. */
async function signRequest(signer: Signer, req: Outgoing, signingRegion: string): Promise<Record<string, string>> {
  const url = new URL(req.url);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const headers: Record<string, string> = { ...req.headers, host: url.host };
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers,
      body: req.body,
    },
    { signingRegion },
  );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) {
    const name = k.toLowerCase();
    if (name !== 'host' && headers[name] !== v) out[name] = v;
  }
  return out;
}
