// One line on stderr for every wait long enough to look like a hang (rate limit, Retry-After,
// back-off, long-running operation) — on a terminal or not, since CI logs are where a silent
// minute hurts most: what is waited for, why, how long, attempt k of n.
import type { FetchEvent } from '../fetch/types.js';
import { QuotaEstimates } from '../fetch/quota-estimate.js';
import { formatDuration } from '../config/size.js';

/** Waits shorter than this pass silently (the progress line shows them on a terminal). */
export const NOTICE_MIN_MS = 3000;
/** Client-side pacing waits repeat for every request; one line per this interval is enough. */
const PACING_REPEAT_MS = 30_000;

export interface NoticeStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function createWaitNotice(stream: NoticeStream, now: () => number = Date.now, minMs = NOTICE_MIN_MS): (e: FetchEvent) => void {
  let lastPacing = -Infinity;
  // a quota-bound fetch's latest estimate ("~2 h 05 m left at 1 request / 15 s"), shown with pacing waits
  const estimates = new QuotaEstimates();
  const print = (text: string) => stream.write(`${stream.isTTY ? '\r\u001b[2K' : ''}waiting ${text}\n`);
  return (e) => {
    if (e.kind === 'estimate') {
      estimates.update(e);
      return;
    }
    if (e.kind === 'request' || e.kind === 'page' || e.waitMs < minMs) return;
    const wait = formatDuration(Math.round(e.waitMs));
    if (e.kind === 'retry') {
      const why = e.status === 429 ? 'rate limited (HTTP 429)' : e.status ? `server error (HTTP ${e.status})` : e.reason;
      print(`${wait}: ${e.resourceId} ${why}; attempt ${e.attempt + 1} of ${e.of} follows`);
    } else if (e.kind === 'lro-poll') {
      const limit = e.limitMs ? ` (gives up after ${formatDuration(e.limitMs)}, --lro-timeout)` : '';
      print(`${wait}: ${e.resourceId} long-running operation still running; poll ${e.poll ?? '?'} follows${limit}`);
    } else {
      if (!e.held && now() - lastPacing < PACING_REPEAT_MS) return;
      if (!e.held) lastPacing = now();
      const estimate = estimates.text();
      print(
        `${wait}: ${e.held ? 'the API asked every request to wait (rate limit)' : 'pacing requests to the API rate limit (X-RateLimit headers)'}; the next request follows${estimate ? `; ${estimate}` : ''}`,
      );
    }
  };
}
