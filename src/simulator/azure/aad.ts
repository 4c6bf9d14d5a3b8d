// Fake Microsoft Entra ID (AAD) v2 client-credentials endpoint and ARM bearer-token checks
// (api-facts B.5). Invariant: ARM accepts exactly the configured tokens plus the ones issued here,
// until they expire (expires_in elapsed on the simulator clock) or expireTokens() is called.
import type { Exchange } from './http.js';

/** Scopes that yield an ARM token (resource https://management.azure.com or its old core.windows.net alias). */
const ARM_SCOPES = new Set([
  'https://management.azure.com/.default',
  'https://management.azure.com//.default',
  'https://management.core.windows.net/.default',
  'https://management.core.windows.net//.default',
]);

export const TOKEN_LIFETIME_SECONDS = 3599;

interface TokenState {
  /** Epoch ms after which the token is expired; undefined = never by time. */
  expiresAt?: number;
}

export type TokenCheck = { ok: true } | { ok: false; code: string; message: string };

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenState>();
  private issued = 0;

  constructor(
    initial: string[],
    private readonly now: () => number,
  ) {
    for (const t of initial) this.tokens.set(t, {});
  }

  issue(tenantId: string, clientId: string): string {
    const now = this.now();
    const expiresAt = now + TOKEN_LIFETIME_SECONDS * 1000;
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    // JWT-shaped so clients that peek at `exp` can; the signature is not a real one.
    const token = [
      b64({ typ: 'JWT', alg: 'RS256', kid: 'sessql-sim' }),
      b64({
        aud: 'https://management.azure.com/',
        iss: `https://sts.windows.net/${tenantId}/`,
        iat: Math.floor(now / 1000),
        nbf: Math.floor(now / 1000),
        exp: Math.floor(expiresAt / 1000),
        appid: clientId,
        tid: tenantId,
        jti: `sim-${++this.issued}`,
      }),
      'c2Vzc3FsLXNpbXVsYXRvci1zaWduYXR1cmU',
    ].join('.');
    this.tokens.set(token, { expiresAt });
    return token;
  }

  expireAll(): void {
    const at = this.now() - 1000;
    for (const state of this.tokens.values()) state.expiresAt = Math.min(state.expiresAt ?? at, at);
  }

  /** ARM's Authorization header check, in ARM's order (api-facts B.5). */
  check(header: string | undefined): TokenCheck {
    if (header === undefined || header.trim() === '') {
      return { ok: false, code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." };
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      return {
        ok: false,
        code: 'AuthenticationFailedInvalidHeader',
        message: "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      };
    }
    const state = this.tokens.get(m[1]);
    if (!state) return { ok: false, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
    const now = this.now();
    if (state.expiresAt !== undefined && state.expiresAt <= now) {
      return {
        ok: false,
        code: 'ExpiredAuthenticationToken',
        message: `The access token expiry UTC time '${dotnetTime(state.expiresAt)}' is earlier than current UTC time '${dotnetTime(now)}'.`,
      };
    }
    return { ok: true };
  }
}

/** en-US .NET DateTime text, as ARM prints it: M/d/yyyy h:mm:ss AM. */
function dotnetTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export interface AadConfig {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  tokens: TokenRegistry;
  now: () => number;
  newId: () => string;
  baseUrl: () => string;
}

/** POST /{tenant}/oauth2/v2.0/token (form-encoded; client secret in the body or a Basic header). */
export async function handleTokenRequest(ex: Exchange, cfg: AadConfig): Promise<void> {
  const tenant = ex.segments[0] ?? '';
  const aadError = (status: number, error: string, code: number, description: string): void => {
    const traceId = cfg.newId();
    const correlationId = cfg.newId();
    const timestamp = new Date(cfg.now())
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    ex.json(status, {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${cfg.baseUrl()}/error?code=${code}`,
    });
  };
  if (ex.method !== 'POST') {
    aadError(400, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    return;
  }
  const form = new URLSearchParams(await ex.body());
  let clientId = form.get('client_id') ?? undefined;
  let clientSecret = form.get('client_secret') ?? undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(ex.req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64
    const unform = (s: string): string => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    if (colon >= 0) {
      clientId ??= unform(decoded.slice(0, colon));
      clientSecret ??= unform(decoded.slice(colon + 1));
    }
  }
  const grant = form.get('grant_type');
  const scope = form.get('scope');
  if (tenant.toLowerCase() !== cfg.tenantId.toLowerCase()) {
    aadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
    return;
  }
  if (!grant) {
    aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    return;
  }
  if (grant !== 'client_credentials') {
    aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
    return;
  }
  if (!clientId) {
    aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    return;
  }
  if (!scope) {
    aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    return;
  }
  const scopeValue = scope.trim();
  if (!scopeValue.endsWith('/.default')) {
    aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scopeValue} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
    return;
  }
  if (!ARM_SCOPES.has(scopeValue)) {
    aadError(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scopeValue} is not valid.`,
    );
    return;
  }
  if (clientId !== cfg.clientId) {
    aadError(401, 'invalid_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${cfg.tenantId}'.`);
    return;
  }
  if (!clientSecret) {
    aadError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    return;
  }
  if (clientSecret !== cfg.clientSecret) {
    aadError(
      401,
      'invalid_client',
      7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
    );
    return;
  }
  ex.json(200, {
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    ext_expires_in: TOKEN_LIFETIME_SECONDS,
    access_token: cfg.tokens.issue(cfg.tenantId, clientId),
  });
}
