// The auth schemes a manifest can name, one handler per AuthKind (a new kind without a handler
// does not compile).
import type { AuthKind, AuthSpec } from '../../manifest/schema.js';
import { azureAuth } from './azure-credential.js';
import { bearerAuth } from './bearer.js';
import { noAuth } from './none.js';
import { oauth2ClientCredentials } from './oauth2-client-credentials.js';
import { loginAuth } from './login.js';
import { sigv4Auth } from './sigv4.js';
import type { AuthDeps, Authenticator } from './types.js';

export type { Authenticator, AuthDeps } from './types.js';

const handlers: { [K in AuthKind]: (auth: Extract<AuthSpec, { kind: K }>, d: AuthDeps) => Authenticator } = {
  none: noAuth,
  bearer: bearerAuth,
  'oauth2-client-credentials': oauth2ClientCredentials,
  'azure-credential': azureAuth,
  login: loginAuth,
  sigv4: sigv4Auth,
};

export function createAuthenticator(auth: AuthSpec, d: AuthDeps): Authenticator {
  const make = handlers[auth.kind] as (a: AuthSpec, d: AuthDeps) => Authenticator;
  return make(auth, d);
}
