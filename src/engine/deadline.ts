// The per-statement deadline (--timeout, limits.timeout): when it passes, every request, retry
// wait and poll of the statement is aborted through its one signal and the statement fails with
// TIMEOUT naming the setting — instead of waiting out retries and polls however long they take.
import { SessqlError } from '../errors.js';
import { formatDuration } from '../config/size.js';

export interface Deadline {
  expired(): boolean;
  error(): SessqlError;
  clear(): void;
}

export function startDeadline(timeoutMs: number | undefined, controller: AbortController): Deadline {
  let expired = false;
  const timer =
    timeoutMs !== undefined && timeoutMs > 0
      ? setTimeout(() => {
          expired = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
  return {
    expired: () => expired,
    error: () =>
      new SessqlError('TIMEOUT', `the statement did not finish fetching within ${formatDuration(timeoutMs ?? 0)} (the statement deadline)`, {
        hint: 'raise --timeout (limits.timeout in sessql.config.yaml), or narrow the query',
      }),
    clear: () => clearTimeout(timer),
  };
}

/** Runs `fn` with a signal that aborts with `signal` or at the deadline (then TIMEOUT is thrown). */
export async function withinDeadline<T>(
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', abort);
  const deadline = startDeadline(timeoutMs, controller);
  try {
    return await fn(controller.signal);
  } catch (e) {
    if (deadline.expired()) throw deadline.error();
    throw e;
  } finally {
    deadline.clear();
    signal?.removeEventListener('abort', abort);
  }
}
