// Static bearer token from a config key; a 401 cannot be fixed by retrying, only by a new token.
import type { AuthSpec } from '../../manifest/schema.js';
import { envName, requireKeys } from '../config.js';
import { bearer, type AuthDeps, type Authenticator } from './types.js';

export function bearerAuth(auth: Extract<AuthSpec, { kind: 'bearer' }>, d: AuthDeps): Authenticator {
  const env = envName(d.spec, auth.tokenConfig);
  d.secrets.add(d.config[auth.tokenConfig]);
  return {
    hint: `check ${env}: the token was not accepted (it may be wrong, revoked or expired)`,
    check: () => requireKeys(d.spec, d.config, [auth.tokenConfig], 'API token'),
    headers: async () => bearer(d.config[auth.tokenConfig] ?? ''),
    refresh: () => false,
  };
}
