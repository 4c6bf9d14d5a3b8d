// The progress line: only on a terminal, only after the delay, counts from fetch events, cut to
// the terminal width, erased at the end. The clock and the timer are injected.
import { describe, expect, it } from 'vitest';
import { createProgress, Progress, type ProgressClock } from '../../src/cli/progress.js';

function fakeClock(): ProgressClock & { t: number; ticks: Array<() => void>; cancelled: number } {
  const c = {
    t: 0,
    ticks: [] as Array<() => void>,
    cancelled: 0,
    now: () => c.t,
    every: (_ms: number, fn: () => void) => {
      c.ticks.push(fn);
      return () => {
        c.cancelled++;
        c.ticks = c.ticks.filter((f) => f !== fn);
      };
    },
  };
  return c;
}

function tty(columns = 100) {
  const s = { isTTY: true, columns, text: '', write: (t: string) => (s.text += t) };
  return s;
}

describe('progress line', () => {
  it('is never created for a non-terminal', () => {
    expect(createProgress({ isTTY: false, write: () => true })).toBeUndefined();
    expect(createProgress({ write: () => true })).toBeUndefined();
    expect(createProgress(tty())).toBeInstanceOf(Progress);
  });

  it('appears after the delay with requests, pages, rows and elapsed time; erased at stop', () => {
    const clock = fakeClock();
    const out = tty();
    const p = new Progress(out, { clock, delayMs: 1000 });
    p.start();
    p.onEvent({ kind: 'request', resourceId: 'cloudconnexa.vpn.sessions', method: 'GET', path: '/api/v1/sessions' });
    p.onEvent({ kind: 'page', resourceId: 'cloudconnexa.vpn.sessions', rows: 100 });
    p.onEvent({ kind: 'request', resourceId: 'cloudconnexa.vpn.sessions', method: 'GET', path: '/api/v1/sessions' });
    p.onEvent({ kind: 'page', resourceId: 'cloudconnexa.vpn.sessions', rows: 1200 });
    clock.t = 900;
    clock.ticks.forEach((f) => f());
    expect(out.text).toBe('');
    clock.t = 1500;
    clock.ticks.forEach((f) => f());
    expect(out.text).toBe('\r\u001b[2K⋯ cloudconnexa.vpn.sessions: 2 requests, 2 pages, 1,300 rows, 1.5 s');
    p.stop();
    expect(out.text.endsWith('\r\u001b[2K')).toBe(true);
    expect(clock.ticks).toHaveLength(0);
  });

  it('a short statement never draws (and erases nothing)', () => {
    const clock = fakeClock();
    const out = tty();
    const p = new Progress(out, { clock });
    p.start();
    clock.t = 300;
    clock.ticks.forEach((f) => f());
    p.stop();
    expect(out.text).toBe('');
  });

  it('shows rate-limit waits while they last, and counts reset per statement', () => {
    const clock = fakeClock();
    const out = tty();
    const p = new Progress(out, { clock, delayMs: 0 });
    p.start();
    p.onEvent({ kind: 'retry', resourceId: 'r', status: 429, reason: 'HTTP 429', waitMs: 2000, attempt: 1, of: 6 });
    expect(p.line()).toContain('1 retry · rate limited, waiting 2.0 s');
    clock.t = 2500;
    expect(p.line()).not.toContain('waiting');
    p.onEvent({ kind: 'rate-limit-wait', waitMs: 500 });
    expect(p.line()).toContain('rate limit, waiting 0.5 s');
    p.stop();
    p.onEvent({ kind: 'page', resourceId: 'r', rows: 5 }); // outside a statement: ignored
    p.start();
    expect(p.line()).toContain('0 requests, 0 pages, 0 rows');
    p.stop();
  });

  it('never wraps: the line is cut to the terminal width', () => {
    const clock = fakeClock();
    const p = new Progress(tty(30), { clock, delayMs: 0 });
    p.start();
    p.onEvent({ kind: 'request', resourceId: 'azure.network.active_sessions', method: 'POST', path: '/x' });
    expect([...p.line()].length).toBeLessThanOrEqual(29);
    expect(p.line().endsWith('…')).toBe(true);
    p.stop();
  });
});
