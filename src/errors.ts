// The one error type of sessql: a stable code, a message for a person, an optional hint.
// Raw errors (axios, zod, SQLite, YAML) are wrapped once, where they occur; the CLI maps
// `kind` to the exit code (user → 2, runtime → 1).

export type ErrorKind = 'user' | 'runtime';

/** Every code sessql can report, with whose fix it is. A new code must be added here. */
export const ERROR_CODES = {
  // the user's own fix: SQL, parameters, options, configuration (exit 2)
  SQL_SYNTAX: 'user',
  SQL_UNSUPPORTED: 'user',
  READ_ONLY: 'user',
  UNKNOWN_TABLE: 'user',
  UNKNOWN_COLUMN: 'user',
  UNSAFE_PUSHDOWN: 'user',
  UNKNOWN_PROVIDER: 'user',
  UNKNOWN_SERVICE: 'user',
  MISSING_PARAMETER: 'user',
  INVALID_PARAMETER: 'user',
  MISSING_TEMPLATE_VARIABLE: 'user',
  MISSING_CREDENTIALS: 'user',
  INVALID_CONFIG: 'user',
  INVALID_MANIFEST: 'user',
  INVALID_OPTION: 'user',
  WRITE_NOT_ALLOWED: 'user',
  // runtime and API failures (exit 1)
  AUTH_FAILED: 'runtime',
  FORBIDDEN: 'runtime',
  NOT_FOUND: 'runtime',
  API_ERROR: 'runtime',
  RATE_LIMITED: 'runtime',
  NETWORK_ERROR: 'runtime',
  TIMEOUT: 'runtime',
  MALFORMED_RESPONSE: 'runtime',
  RESPONSE_TOO_LARGE: 'runtime',
  PAGINATION_LOOP: 'runtime',
  OPERATION_FAILED: 'runtime',
  CANCELLED: 'runtime',
  PARTIAL_RESULTS: 'runtime',
  INTERNAL: 'runtime',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SessqlErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Extra structured facts (HTTP status, API error code…) for programs; never secrets. */
  details?: Record<string, unknown>;
}

export class SessqlError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: SessqlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SessqlError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code];
  }

  /** Exit code for the CLI: 2 for what the user fixes, 1 for runtime/API failures. */
  get exitCode(): 1 | 2 {
    return this.kind === 'user' ? 2 : 1;
  }
}

export function isSessqlError(e: unknown): e is SessqlError {
  return e instanceof SessqlError;
}

/** Wraps anything thrown into a SessqlError (unknown errors become INTERNAL). */
export function toSessqlError(e: unknown): SessqlError {
  if (e instanceof SessqlError) return e;
  if (e instanceof Error && e.name === 'AbortError') {
    return new SessqlError('CANCELLED', 'the statement was cancelled', { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new SessqlError('INTERNAL', `unexpected internal error: ${message}`, {
    cause: e,
    hint: 'this is a bug in sessql; run again with --debug and report the stack trace',
  });
}
