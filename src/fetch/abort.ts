// Cancellation helpers: every wait in the fetch stage is abortable and an abort always surfaces
// as SessqlError CANCELLED (never a raw AbortError).
import { SessqlError } from '../errors.js';

export function cancelled(): SessqlError {
  return new SessqlError('CANCELLED', 'the statement was cancelled');
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelled();
}

/** Real sleep: resolves after `ms`, rejects with CANCELLED when `signal` aborts. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
