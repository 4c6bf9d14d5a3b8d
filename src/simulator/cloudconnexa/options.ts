// Defaults and validation of CloudConnexaSimOptions. Invariant: after validateOptions every field
// is present and within the range the generator and the routes rely on (bad options throw
// RangeError at start, never mid-request).
import { validateRateLimit } from './rate-limit.js';
import { MAX_SESSIONS } from './sessions-store.js';
import type { CloudConnexaSimOptions, RateLimitOptions } from './types.js';

export interface ResolvedOptions {
  seed: number;
  sessions: number;
  historyDays: number;
  users: number;
  now: () => number;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  latencyMs: number;
  rateLimit: RateLimitOptions | false;
  maxPageSizeSessions: number;
}

export const DEFAULTS = {
  seed: 42,
  sessions: 600,
  historyDays: 7,
  users: 40,
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  /** expires_in of the documented example response (api-facts A.2). */
  tokenTtlSeconds: 43199,
  latencyMs: 0,
  /** "up to 100 in a single request" (api-facts A.3). */
  maxPageSizeSessions: 100,
} as const;

export const MAX_USERS = 100_000;
export const MAX_HISTORY_DAYS = 30;

function int(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${v}`);
  return v;
}

export function validateOptions(opts: CloudConnexaSimOptions): ResolvedOptions {
  const historyDays = opts.historyDays ?? DEFAULTS.historyDays;
  if (!(historyDays > 0 && historyDays <= MAX_HISTORY_DAYS)) {
    throw new RangeError(`historyDays must be in (0, ${MAX_HISTORY_DAYS}], got ${historyDays}`);
  }
  const rateLimit = opts.rateLimit ?? false;
  if (rateLimit) validateRateLimit(rateLimit);
  return {
    seed: int('seed', opts.seed ?? DEFAULTS.seed, -(2 ** 31), 2 ** 32 - 1) >>> 0,
    sessions: int('sessions', opts.sessions ?? DEFAULTS.sessions, 0, MAX_SESSIONS),
    historyDays,
    users: int('users', opts.users ?? DEFAULTS.users, 0, MAX_USERS),
    now: opts.now ?? Date.now,
    clientId: opts.clientId ?? DEFAULTS.clientId,
    clientSecret: opts.clientSecret ?? DEFAULTS.clientSecret,
    tokenTtlSeconds: int('tokenTtlSeconds', opts.tokenTtlSeconds ?? DEFAULTS.tokenTtlSeconds, 1, 2 ** 31 - 1),
    latencyMs: int('latencyMs', opts.latencyMs ?? DEFAULTS.latencyMs, 0, 600_000),
    rateLimit,
    maxPageSizeSessions: int('maxPageSizeSessions', opts.maxPageSizeSessions ?? DEFAULTS.maxPageSizeSessions, 1, 100_000),
  };
}
