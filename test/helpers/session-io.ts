// Test helper: a SessionIO that captures results and diagnostics instead of writing to the process.
import type { SessionIO } from '../../src/cli/runner/session.js';
import type { SessqlError } from '../../src/errors.js';

export function captureIO(width?: number): { io: SessionIO; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: SessionIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    error: (e: SessqlError) => void err.push(`error[${e.code}]: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`),
    warn: (m) => void err.push(`warning: ${m}\n`),
    width,
    color: false,
    debug: false,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** Polls `check` until it holds (generous bound: these wait for I/O, not for time). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
