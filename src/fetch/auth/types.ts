// What an auth scheme provides to the sender: early config checks, Authorization headers per
// request, and whether a 401 is worth one retry with a fresh credential.
import type { ProviderSpec } from '../../manifest/schema.js';
import type { HttpResponse, InjectedCredentials } from '../types.js';
import type { ProviderConfig } from '../config.js';
import type { CallContext, Outgoing, Transport } from '../transport.js';
import type { SecretSet } from '../redact.js';

export interface Authenticator {
  /** Throws MISSING_CREDENTIALS / INVALID_CONFIG when the config cannot work. */
  check(): void;
  /** Headers for one API request (`req` as it will be sent, for signing); may fetch (and cache) a token. */
  headers(ctx: CallContext, req?: Outgoing): Promise<Record<string, string>>;
  /**
   * After a 401 (or a status the scheme lists in `refreshOn`) to a request sent with `used`: drops
   * that credential and says whether one retry with a fresh one may help.
   */
  refresh(res: HttpResponse, used: Record<string, string>): boolean;
  /** Statuses besides 401 worth that one retry (a login whose API answers an expired token with 403). */
  readonly refreshOn?: readonly number[];
  /** Hint for AUTH_FAILED, naming the credential environment variables. */
  readonly hint: string;
}

export interface AuthDeps {
  spec: ProviderSpec;
  config: ProviderConfig;
  /** The normalised base URL (scheme://host[:port]). */
  baseUrl: () => string;
  transport: Transport;
  now: () => number;
  secrets: SecretSet;
  credentials?: InjectedCredentials;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function bearerOf(headers: Record<string, string>): string | undefined {
  return headers.authorization?.replace(/^Bearer /, '');
}
