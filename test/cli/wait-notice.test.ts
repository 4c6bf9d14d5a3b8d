// Long waits print one line on stderr even off a terminal (issue 9 #5): what, why, how long, k of n.
import { describe, expect, it } from 'vitest';
import { createWaitNotice } from '../../src/cli/wait-notice.js';
import { parseDuration, parseSize } from '../../src/config/size.js';

function capture() {
  const lines: string[] = [];
  let t = 0;
  const notice = createWaitNotice({ write: (s: string) => lines.push(s), isTTY: false }, () => t);
  return { lines, notice, advance: (ms: number) => (t += ms) };
}

describe('wait notices', () => {
  it('one line per long retry wait, naming the table, the reason and attempt k of n', () => {
    const { lines, notice } = capture();
    notice({ kind: 'retry', resourceId: 'p.s.r', status: 429, reason: 'rate limited', waitMs: 60_000, attempt: 1, of: 6 });
    notice({ kind: 'retry', resourceId: 'p.s.r', status: 503, reason: 'server error 503', waitMs: 4_000, attempt: 2, of: 6 });
    notice({ kind: 'retry', resourceId: 'p.s.r', reason: 'timeout', waitMs: 2_999, attempt: 3, of: 6 });
    expect(lines).toEqual([
      'waiting 60 s: p.s.r rate limited (HTTP 429); attempt 2 of 6 follows\n',
      'waiting 4 s: p.s.r server error (HTTP 503); attempt 3 of 6 follows\n',
    ]);
  });

  it('long-running operation polls name the poll and the limit setting', () => {
    const { lines, notice } = capture();
    notice({ kind: 'lro-poll', resourceId: 'az.n.s', waitMs: 10_000, poll: 3, limitMs: 600_000 });
    expect(lines).toEqual(['waiting 10 s: az.n.s long-running operation still running; poll 3 follows (gives up after 10 min, --lro-timeout)\n']);
  });

  it('client-side pacing is reported at most every 30 s; a 429 hold always', () => {
    const { lines, notice, advance } = capture();
    notice({ kind: 'rate-limit-wait', waitMs: 5_000 });
    advance(5_000);
    notice({ kind: 'rate-limit-wait', waitMs: 5_000 });
    notice({ kind: 'rate-limit-wait', waitMs: 5_000, held: true });
    advance(30_000);
    notice({ kind: 'rate-limit-wait', waitMs: 5_000 });
    expect(lines.length).toBe(3);
    expect(lines[1]).toContain('the API asked every request to wait');
  });
});

describe('durations and sizes', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['12', 12_000],
    ['1.5s', 1500],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each([
    ['64MB', 64 * 1024 ** 2],
    ['1GiB', 1024 ** 3],
    ['500k', 512_000],
    ['1000', 1000],
  ])('%s', (text, n) => expect(parseSize(text)).toBe(n));
  it('refuses nonsense with INVALID_OPTION naming the option', () => {
    expect(() => parseDuration('soon', '--timeout')).toThrow(/--timeout: 'soon' is not a duration/);
    expect(() => parseSize('lots', '--max-response-size')).toThrow(/is not a size/);
    expect(() => parseSize('0MB')).toThrow(/is not a size/);
  });
});
