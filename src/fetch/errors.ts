// Maps HTTP failures and unreadable bodies to SessqlError, keeping the API's own message and code
// (ARM CloudError, the ErrorResponse of api-facts A.6, OAuth errors, plain {message}). Messages show the
// method and a redacted path only; the client scrubs known secret values on the way out.
import { SessqlError, type ErrorCode } from '../errors.js';
import type { HttpResponse } from './types.js';
import { displayPath } from './redact.js';

export interface RequestContext {
  resourceId: string;
  method: string;
  url: string;
  /** Hint for 401s, naming the credential environment variables. */
  authHint?: string;
  /** Removes known secrets from a body before any of it is cut for a message (scrub first, cut after). */
  scrub?: (text: string) => string;
  /** The manifest's error envelope and codes (src/fetch/envelopes.ts); the auto envelope without. */
  errors?: ErrorPolicy;
}

/** A manifest's `errors` section, resolved: how to read an error body and what its codes mean. */
export interface ErrorPolicy {
  parse(res: HttpResponse): ApiErrorInfo;
  /** Codes meaning the credentials were not accepted, whatever the status. */
  credentialCodes: string[];
  hints: Record<string, string>;
  /** The code when it is worth a retry (throttling sent as a 400), else undefined. */
  retryableCode(res: HttpResponse): string | undefined;
}

export interface ApiErrorInfo {
  code?: string;
  message?: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function describe(ctx: RequestContext): string {
  return `${ctx.method} ${displayPath(ctx.url)}`;
}

function statusLabel(status: number): string {
  return STATUS_TEXT[status] ? `${status} ${STATUS_TEXT[status]}` : String(status);
}

/** The API's own error code and message, from whichever envelope the body uses. */
export function extractApiError(body: string): ApiErrorInfo {
  const text = body.trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.startsWith('<') ? {} : { message: text.slice(0, 300) };
  }
  if (!parsed || typeof parsed !== 'object') return {};
  return fromEnvelope(parsed as Record<string, unknown>);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fromEnvelope(o: Record<string, unknown>): ApiErrorInfo {
  const err = o.error;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    return { code: str(e.code), message: str(e.message) };
  }
  if (str(o.errorMessage) || o.errorDetails) {
    return { code: str(o.statusError) ?? firstDetailCode(o.errorDetails), message: withDetails(str(o.errorMessage), o.errorDetails) };
  }
  if (str(err)) return { code: str(err), message: str(o.error_description) ?? str(o.message) ?? str(err) };
  return { code: str(o.code), message: str(o.message) };
}

/** ErrorResponse errorDetails (api-facts A.6): `{ field: [{ errorCode, message }] }`. */
function detailEntries(details: unknown): Array<{ field: string; code?: string; message?: string }> {
  if (!details || typeof details !== 'object') return [];
  return Object.entries(details as Record<string, unknown>).flatMap(([field, list]) =>
    (Array.isArray(list) ? list : [list]).map((d) => {
      const o = (d && typeof d === 'object' ? d : {}) as Record<string, unknown>;
      return { field, code: str(o.errorCode), message: str(o.message) };
    }),
  );
}

function firstDetailCode(details: unknown): string | undefined {
  return detailEntries(details).find((d) => d.code)?.code;
}

function withDetails(message: string | undefined, details: unknown): string | undefined {
  const parts = detailEntries(details).map((d) => `${d.field}: ${d.message ?? d.code ?? 'invalid'}`);
  if (parts.length === 0) return message;
  return `${message ?? 'invalid request'} (${parts.join('; ')})`;
}

/** A non-2xx response as a SessqlError; `attempts` > 1 is mentioned for retried statuses. */
export function httpError(res: HttpResponse, ctx: RequestContext, attempts = 1): SessqlError {
  const scrubbed = ctx.scrub ? { ...res, body: ctx.scrub(res.body) } : res;
  const api = ctx.errors ? ctx.errors.parse(scrubbed) : extractApiError(scrubbed.body);
  const codeHint = api.code ? ctx.errors?.hints[api.code] : undefined;
  // the API's own error code (ARM's ExpiredAuthenticationToken, ResourceNotFound…) is kept
  const apiText = api.message || api.code ? `: ${api.code && !api.message?.includes(api.code) ? `${api.code}: ` : ''}${clip(api.message ?? '')}` : '';
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const details = { status: res.status, ...(api.code ? { apiCode: api.code } : {}) };
  const what = `${ctx.resourceId}: ${describe(ctx)}`;
  const make = (code: ErrorCode, message: string, hint?: string) => new SessqlError(code, message, { hint, details });
  const s = res.status;
  if (api.code && ctx.errors?.credentialCodes.includes(api.code)) {
    return make('AUTH_FAILED', `${what} was refused: the API did not accept the credentials (${statusLabel(s)})${apiText}`, codeHint ?? ctx.authHint);
  }
  if (codeHint)
    return make(
      s === 403 ? 'FORBIDDEN' : s === 429 ? 'RATE_LIMITED' : 'API_ERROR',
      `${what} was rejected by the API (${statusLabel(s)})${tries}${apiText}`,
      codeHint,
    );
  if (s === 401)
    return make('AUTH_FAILED', `${what} was refused: the API did not accept the credentials (${statusLabel(s)})${apiText}`, ctx.authHint);
  if (s === 403) return make('FORBIDDEN', `${what} is not permitted (${statusLabel(s)})${apiText}`, forbiddenHint(api.message));
  if (s === 404)
    return make(
      'NOT_FOUND',
      `${what} found nothing (${statusLabel(s)})${apiText}`,
      'check the parameter values in the WHERE clause (names and ids that go into the request path)',
    );
  if (s === 429)
    return make(
      'RATE_LIMITED',
      `${what} is still rate limited (${statusLabel(s)})${tries}${apiText}`,
      'wait a minute and run again, or lower the provider concurrency in sessql.config.yaml',
    );
  if (s >= 500)
    return make(
      'API_ERROR',
      `${what} failed on the server (${statusLabel(s)})${tries}${apiText}`,
      'the service reported an internal error; try again later',
    );
  return make('API_ERROR', `${what} was rejected by the API (${statusLabel(s)})${apiText}`);
}

/** The API's own message, at most 500 characters (the body was scrubbed of secrets before). */
function clip(message: string): string {
  return message.length > 500 ? `${message.slice(0, 499)}…` : message;
}

function forbiddenHint(message: string | undefined): string {
  const action = message?.match(/action '([^']+)'/)?.[1];
  if (action) return `the identity lacks permission for action '${action}'; grant it a role that allows this action on that scope`;
  return 'the credentials are valid but lack permission for this resource; check the roles or permissions of the API key or identity';
}

/** MALFORMED_RESPONSE: the body cannot be read as the manifest says. */
export function malformed(ctx: RequestContext, why: string, status?: number): SessqlError {
  return new SessqlError('MALFORMED_RESPONSE', `${ctx.resourceId}: ${describe(ctx)} returned a response sessql cannot read: ${why}`, {
    details: status === undefined ? undefined : { status },
    hint: 'check the base URL points at the right API, and that the provider manifest matches the API version',
  });
}
