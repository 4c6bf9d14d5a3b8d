// The simulator's internal answer type and its constructors (JSON, empty, raw), plus fault bodies.
// Invariant: a Reply carries a fully serialised body, so latency and fault delays never change it.
import { errorResponse } from './errors.js';
import type { Fault } from './types.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = 'application/json';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

export function empty(status: number): Reply {
  return { status, headers: {}, body: '' };
}

export function errorReply(status: number, message: string): Reply {
  return json(status, errorResponse(status, message));
}

function looksLikeJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * The reply a fault forces, or undefined for a delay-only fault (2xx status and no body), which
 * lets the request be served normally after `delayMs`.
 *  - no body: ErrorResponse JSON (A.6), except 429 which is empty like the real service (A.5)
 *  - 'empty': no body; 'malformed': invalid JSON; 'truncated': valid JSON without the rows array
 *  - any other string: sent verbatim
 */
export function faultReply(f: Fault): Reply | undefined {
  switch (f.body) {
    case undefined:
      if (f.status < 300) return undefined;
      return f.status === 429 ? empty(429) : errorReply(f.status, `Injected fault: HTTP ${f.status}`);
    case 'empty':
      return empty(f.status);
    case 'malformed':
      return { status: f.status, headers: { 'Content-Type': JSON_TYPE }, body: '{"sessions":[{"id":"6352' };
    case 'truncated':
      return { status: f.status, headers: { 'Content-Type': JSON_TYPE }, body: '{"foo":1}' };
    default:
      return {
        status: f.status,
        headers: { 'Content-Type': looksLikeJson(f.body) ? JSON_TYPE : 'text/plain; charset=utf-8' },
        body: f.body,
      };
  }
}
